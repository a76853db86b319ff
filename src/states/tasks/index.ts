/**
 * Step Functions' task integrations (issue 14): the TaskRunner the engine runs Task states with,
 * the book of tasks answered from outside (task tokens, activities, `.sync`), and the invoker
 * that lets EventBridge rules start state machines.
 */
export { IntegrationRunner } from './runner.js';
export { TaskBook } from './task-book.js';
export { stateMachineInvoker } from './state-machine-invoker.js';
export { taskMigrations } from './migrations.js';
export type { TaskDeps } from './deps.js';
export { integrationResultShape } from './result-shapes.js';
export { resultProblem, type FieldValidationMode } from './result-check.js';
