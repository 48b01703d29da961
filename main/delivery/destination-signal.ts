// What one send's outcome says about the destination itself, for the circuit breaker and the delivery gate.

/**
 * `failure` (network error, timeout, server error), `throttled` (the receiver is fine but asks us to wait),
 * `healthy` (delivered, or a permanent problem of this record such as a 400: the receiver answered sanely).
 */
export type DestinationSignal = 'healthy' | 'failure' | 'throttled';
