/**
 * What Step Functions needs to set up vended log delivery for a machine with logging on. AWS
 * requires them both of the machine's role and of whoever calls CreateStateMachine, and none of
 * them supports resource-level permissions (so they are granted on "*").
 */
export const LOG_DELIVERY_ACTIONS = [
  'logs:CreateLogDelivery',
  'logs:GetLogDelivery',
  'logs:UpdateLogDelivery',
  'logs:DeleteLogDelivery',
  'logs:ListLogDeliveries',
  'logs:PutResourcePolicy',
  'logs:DescribeResourcePolicies',
  'logs:DescribeLogGroups',
] as const;
