/**
 * Recurring schedules: a {@link dev.ergate.runtime.schedule.Schedule} (cron with a time zone, or a
 * fixed interval) submits a job of its workflow on every tick; {@link
 * dev.ergate.runtime.schedule.Schedules} manages them through the client and a {@link
 * dev.ergate.runtime.schedule.Scheduler} fires them, exactly one job per tick however many
 * schedulers run (the tick is claimed in the backend's {@link dev.ergate.spi.ScheduleStore}).
 */
@NullMarked
package dev.ergate.runtime.schedule;

import org.jspecify.annotations.NullMarked;
