package shop.platform.retention;

import java.time.Duration;

/**
 * A time during which rows the retention job deletes are still relied on - a message redelivered, replayed
 * or late by up to {@code duration} is recognised only while its row exists. The retention must be longer
 * than every window, or the service refuses to start.
 *
 * @param name   the setting it comes from, as an operator knows it ({@code RESERVATION_TTL})
 * @param reason what relies on the rows for that long
 */
public record RetentionWindow(String name, Duration duration, String reason) {
}
