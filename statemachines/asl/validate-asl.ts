import aslValidator from 'asl-validator';
import type { AslStateMachine } from './types.ts';

export interface AslCheck {
  valid: boolean;
  errors: string[];
}

/** Runs asl-validator on a copy (it writes QueryLanguage into every state it sees). */
export function validateAsl(definition: AslStateMachine): AslCheck {
  const result = aslValidator(structuredClone(definition), { checkPaths: true, checkArn: true });
  return { valid: result.isValid, errors: result.isValid ? [] : result.errors.map((e) => e.message ?? JSON.stringify(e)) };
}
