/**
 * Names of state machines, activities and executions. CreateStateMachine's API Reference: a
 * name must not contain white space, brackets `< > { } [ ]`, wildcard characters `? *`, special
 * characters `" # % \ ^ | ~ \` $ & , ; : /`, or control characters (U+0000-001F, U+007F-009F).
 * Such a name is InvalidName (recorded: "Invalid Name: 'TestActivity InvalidName$'"); its length
 * (1–80) is the model's, checked before the handler runs. A `.` is allowed.
 */
const FORBIDDEN = /[\s<>{}[\]?*"#%\\^|~`$&,;:/\u0000-\u001f\u007f-\u009f]/u;

export function isValidName(name: string): boolean {
  return !FORBIDDEN.test(name);
}
