package org.weft.scheduler.core.state;

/**
 * Settings of the scheduler state machine.
 *
 * @param validate re-check every invariant after every stimulus (on in tests; costs O(tasks))
 * @param storyCapacity how many transitions the story log keeps
 * @param allowedFailures how many lost workers a task survives before it errs with KilledWorker
 */
public record SchedulerConfig(boolean validate, int storyCapacity, int allowedFailures) {

    public static final int DEFAULT_STORY_CAPACITY = 100_000;
    public static final int DEFAULT_ALLOWED_FAILURES = 3;

    public static final SchedulerConfig DEFAULTS =
            new SchedulerConfig(false, DEFAULT_STORY_CAPACITY, DEFAULT_ALLOWED_FAILURES);

    public SchedulerConfig withValidation(boolean on) {
        return new SchedulerConfig(on, storyCapacity, allowedFailures);
    }
}
