/** The test-support kit in one import: fakes of the Slack Web API and the Bot Framework connector, and builders for
 * the requests Slack and Teams send to the app. */
export * from './fake-bot-connector.js';
export * from './fake-slack-api.js';
export * from './slack-request.js';
export * from './teams-activity.js';
export { pollUntil } from './wait.js';
