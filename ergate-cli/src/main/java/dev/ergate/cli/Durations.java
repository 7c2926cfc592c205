package dev.ergate.cli;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import picocli.CommandLine;

/** Reads durations as people type them: {@code 90s}, {@code 15m}, {@code 12h}, {@code 7d}, {@code PT1H}. */
final class Durations implements CommandLine.ITypeConverter<Duration> {

    @Override
    public Duration convert(String value) {
        String text = value.trim().toLowerCase(Locale.ROOT);
        try {
            if (text.startsWith("p")) {
                return Duration.parse(text.toUpperCase(Locale.ROOT));
            }
            if (text.equals("0")) {
                return Duration.ZERO;
            }
            long amount = Long.parseLong(text.substring(0, text.length() - 1));
            Duration duration = switch (text.charAt(text.length() - 1)) {
                case 's' -> Duration.ofSeconds(amount);
                case 'm' -> Duration.ofMinutes(amount);
                case 'h' -> Duration.ofHours(amount);
                case 'd' -> Duration.ofDays(amount);
                default -> null;
            };
            if (duration != null && !duration.isNegative()) {
                return duration;
            }
        } catch (NumberFormatException | DateTimeParseException | StringIndexOutOfBoundsException ignored) {
            // reported below
        }
        throw new CommandLine.TypeConversionException(
                "'" + value + "' is not a duration: use 90s, 15m, 12h, 7d (or ISO-8601 such as PT1H)");
    }
}
