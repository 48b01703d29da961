// The sandbox connection's id: its records outlive it in the outbox once a real config replaces it.
export const sandboxConnectionId = 'sandbox';
