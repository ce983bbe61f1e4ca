package org.weft.dashboard;

/**
 * One task's compute on a worker, for the task stream: as its worker timed it (the worker's clock,
 * in milliseconds since the epoch).
 *
 * @param seq the order the dashboard learnt of it, from 1
 * @param erred whether the task failed
 */
record TaskSpan(long seq, String key, String worker, long startMillis, long stopMillis, boolean erred) {
}
