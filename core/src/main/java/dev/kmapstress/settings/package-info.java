/**
 * The settings table's vocabulary: a {@link dev.kmapstress.settings.Setting} declares one
 * setting once (key, type, default, unit, help, commands) and a
 * {@link dev.kmapstress.settings.ConfigException} refuses a value in both spellings
 * ({@code --key value} and {@code key=value}). The tables themselves live with what they
 * configure: {@code MachineConfig.SETTINGS}, {@code TortureConfig.RUN_SETTINGS},
 * {@code CompareSettings.SETTINGS}.
 *
 * <p>Owns: how a setting is declared, parsed, printed and refused. Uses: nothing of kmap-stress
 * (bottom layer).
 */
package dev.kmapstress.settings;
