/** True when dist/ exists and, in a source checkout, is newer than every source file. */
export function compiledIsCurrent(root: string): boolean;
