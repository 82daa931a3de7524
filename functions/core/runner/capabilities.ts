/** The account secret that signs webhook nodes' deliveries unless a node names its own (`signing_secret`). */
export const WEBHOOK_SECRET_KEY = 'WEBHOOK_SECRET';
