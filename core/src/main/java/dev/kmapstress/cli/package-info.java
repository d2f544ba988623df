/**
 * The {@code kmap-stress} command line (picocli): one class per subcommand, the options of
 * torture and compare made from the settings table ({@link dev.kmapstress.cli.SettingOptions}),
 * one line and exit 2 for every refusal.
 *
 * <p>Owns: parsing arguments and printing. Uses: everything below it; nothing uses it.
 */
package dev.kmapstress.cli;
