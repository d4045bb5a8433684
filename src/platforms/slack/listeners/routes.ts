/**
 * Our Slack listeners, routed by exact id behind one Bolt listener per surface. Bolt tries every listener it has on
 * every request, each through its own chain of matchers with a fresh copy of the listener's arguments; with ~35
 * listeners that was most of the CPU a form submission cost (bench/slack-routing.ts). Here Bolt sees one listener for
 * commands, one for view submissions, one for block actions, one for shortcuts and one for events (each added with
 * the first route of its surface), and a Map picks the handler.
 *
 * What Bolt did for a request no listener matched is kept: the surface's listener returns without calling `ack`, so
 * the dispatcher answers "no longer in use" / "not one of my commands" as before. A handler's error is not caught
 * here: it rejects the surface's listener, and Bolt hands it to `app.error` as it did. Handlers get Bolt's listener
 * arguments as Bolt passed them (`ack`, `body`, `client`, `respond`, …), so they read as they would on `app` itself.
 */
import type {
  App,
  BlockAction,
  Middleware,
  SlackActionMiddlewareArgs,
  SlackCommandMiddlewareArgs,
  SlackEventMiddlewareArgs,
  SlackShortcut,
  SlackShortcutMiddlewareArgs,
  SlackViewMiddlewareArgs,
  ViewSubmitAction,
} from '@slack/bolt';

type CommandHandler = Middleware<SlackCommandMiddlewareArgs>;
type ViewHandler = Middleware<SlackViewMiddlewareArgs<ViewSubmitAction>>;
type ActionHandler = Middleware<SlackActionMiddlewareArgs<BlockAction>>;
type ShortcutType = SlackShortcut['type'];
type ShortcutHandler<T extends ShortcutType = ShortcutType> = Middleware<
  SlackShortcutMiddlewareArgs<Extract<SlackShortcut, { type: T }>>
>;
type EventHandler<T extends string = string> = Middleware<SlackEventMiddlewareArgs<T>>;

/** Matches any command name or event type: Bolt wants a pattern for these surfaces, the Map does the choosing. */
const ANY = /^/;

export class SlackRoutes {
  private readonly commands = new Map<string, CommandHandler>();
  private readonly views = new Map<string, ViewHandler>();
  private readonly actions = new Map<string, ActionHandler>();
  /** By `type` and `callback_id`: Bolt's `{ callback_id, type }` constraint, as one key. */
  private readonly shortcuts = new Map<string, ShortcutHandler>();
  private readonly events = new Map<string, EventHandler>();

  constructor(private readonly app: App) {}

  /** A slash command, by its name (`/coe`): what `app.command(name)` matched. */
  command(name: string, handler: CommandHandler): void {
    if (this.commands.size === 0) {
      this.app.command(ANY, (args) => route(this.commands, args.command.command, args));
    }
    add(this.commands, 'command', name, handler);
  }

  /**
   * A modal's submission, by the view's `callback_id`: what `app.view(callbackId)` matched (submissions only; a
   * closed modal reaches no listener, as none of ours asks Slack to be told).
   */
  view(callbackId: string, handler: ViewHandler): void {
    if (this.views.size === 0) {
      this.app.view<ViewSubmitAction>({ type: 'view_submission' }, (args) =>
        route(this.views, args.view.callback_id, args),
      );
    }
    add(this.views, 'view', callbackId, handler);
  }

  /**
   * A button (or other block element) pressed, by its `action_id`: what `app.action({ type: 'block_actions',
   * action_id })` matched. Bolt gives a listener the first of `body.actions` as `action`; that is the one routed on.
   */
  action(actionId: string, handler: ActionHandler): void {
    if (this.actions.size === 0) {
      this.app.action({ type: 'block_actions' }, (args) => route(this.actions, args.action.action_id, args));
    }
    add(this.actions, 'action', actionId, handler);
  }

  /** A global or message shortcut, by its type and `callback_id`: what `app.shortcut({ callback_id, type })` matched. */
  shortcut<T extends ShortcutType>(on: { callback_id: string; type: T }, handler: ShortcutHandler<T>): void {
    if (this.shortcuts.size === 0) {
      // No constraint: global and message shortcuts alike come here, and the key tells them apart.
      this.app.shortcut({}, (args) =>
        route(this.shortcuts, shortcutKey(args.shortcut.type, args.shortcut.callback_id), args),
      );
    }
    // Only ever called with a shortcut of type T: the key says so.
    add(this.shortcuts, 'shortcut', shortcutKey(on.type, on.callback_id), handler as unknown as ShortcutHandler);
  }

  /** An Events API event, by its type (`app_home_opened`): what `app.event(type)` matched. Bolt acks events itself. */
  event<T extends string>(type: T, handler: EventHandler<T>): void {
    if (this.events.size === 0) {
      this.app.event(ANY, (args) => route(this.events, args.event.type, args));
    }
    // Only ever called with an event of type T: the key says so.
    add(this.events, 'event', type, handler as unknown as EventHandler);
  }
}

const shortcutKey = (type: string, callbackId: string) => `${type} ${callbackId}`;

/** Two handlers for one id (Bolt ran both; a Map would keep the last) are a mistake, said at start-up. */
function add<H>(routes: Map<string, H>, surface: string, id: string, handler: H): void {
  if (routes.has(id)) throw new Error(`slack: two handlers for the ${surface} "${id}"`);
  routes.set(id, handler);
}

/**
 * Runs the handler for `id` with Bolt's arguments, and returns its promise so that a failure reaches `app.error`.
 * An id nobody handles returns without acking, as when no Bolt listener matched.
 */
function route<A>(routes: Map<string, Middleware<A>>, id: string, args: Parameters<Middleware<A>>[0]) {
  const handler = routes.get(id);
  return handler ? handler(args) : Promise.resolve();
}
