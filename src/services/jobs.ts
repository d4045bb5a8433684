/**
 * `/coe jobs` (Slack) and `jobs` (Teams): each scheduled job, its schedule, last run and outcome, and next run. The
 * board itself is the scheduler's (src/jobs): this service only asks it, for CoE members.
 */
import { CoeError } from '../domain/errors.ts';
import type { Message } from '../domain/message.ts';
import { may, type PersonRef } from '../domain/people.ts';
import { type JobView, jobsMessage } from '../domain/schedule-messages.ts';
import type { Store } from '../ports.ts';

/** What the scheduler shows of itself. */
export interface JobBoard {
  board(): Promise<JobView[]>;
}

export class JobsService {
  constructor(
    private readonly store: Store,
    private readonly jobs: JobBoard,
  ) {}

  async status(actor: PersonRef): Promise<Message> {
    const person = await this.store.read((repos) => repos.people.find(actor));
    if (!person || !may(person.layer, 'seeJobs')) {
      throw new CoeError('PERMISSION.DENIED', 'Only CoE members see the scheduled jobs.');
    }
    return jobsMessage(await this.jobs.board());
  }
}
