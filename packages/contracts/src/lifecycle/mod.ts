export { decide } from './decide.ts';
export { evolve } from './evolve.ts';
export { initialState, checkKey } from './state.ts';
export type {
  OperationState,
  CurrentPlan,
  ApprovalGrant,
  ApprovalState,
  ExecutionState,
  VerificationState,
} from './state.ts';
export type { Command, CommandType, CommandOf } from './commands.ts';
export { checkCommand } from './check-command.ts';
