package dev.kmapstress.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kmapstress.compare.CompareSettings;
import dev.kmapstress.machine.MachineConfig;
import dev.kmapstress.machine.Profile;
import dev.kmapstress.settings.ConfigException;
import dev.kmapstress.settings.Setting;
import dev.kmapstress.torture.TortureConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The settings table is the one home of every setting: the options of each command, their
 * help and defaults, {@code --set}, the refusals, the configuration of results files and the
 * replay command all come from it, and they agree.
 */
class SettingsTableTest {

    private static String help(String command) {
        StringWriter out = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out));
        assertThat(cl.execute(command, "--help")).isZero();
        return out.toString().replaceAll("\\s+", " ");
    }

    @Test
    void keysAreUniqueAndSpelledAsOptions() {
        List<String> keys = Stream.concat(TortureConfig.SETTINGS.stream(), CompareSettings.SETTINGS.stream())
                .map(Setting::key).toList();
        assertThat(keys).doesNotHaveDuplicates().allMatch(k -> k.matches("[a-z][a-z-]*[a-z]"));
    }

    @Test
    void everyCommandOffersExactlyTheSettingsThatNameIt() {
        for (String command : List.of("torture", "compare", "info")) {
            String help = help(command);
            for (Setting<?> s : TortureConfig.SETTINGS) {
                boolean offered = help.contains(s.option() + " ") || help.contains(s.option() + "=");
                assertThat(offered).as("%s %s", command, s.option()).isEqualTo(s.optionOf(command));
                if (s.optionOf(command)) {
                    // Help wraps long lines anywhere: compare without white space.
                    assertThat(help.replace(" ", "")).as("%s %s", command, s.option())
                            .contains(("(default: " + TortureConfig.defaultText(s, command) + ")").replace(" ", ""));
                }
            }
        }
        assertThat(help("info")).contains("--set=KEY=VALUE");
        assertThat(help("run")).contains("--set=KEY=VALUE");
    }

    /**
     * torture's and compare's {@code --set} takes exactly the keys its help lists, and the help's
     * examples: a key an option gives (its own, --watchdog, compare's lists) is refused, never
     * silently replaced by that option's value.
     */
    @Test
    void setTakesExactlyTheKeysItsHelpListsAndItsExamples() {
        MachineConfig defaults = MachineConfig.of(Profile.X86_PAE);
        for (String command : List.of("torture", "compare")) {
            java.util.regex.Matcher help = SET_HELP.matcher(help(command));
            assertThat(help.find()).as(command).isTrue();
            for (String example : help.group(1).split(", ")) {
                assertThat(setAccepted(command, example)).as("%s --set %s", command, example).isTrue();
            }
            Set<String> listed = listedKeys(help.group(2));
            for (Setting<?> s : MachineConfig.SETTINGS) {
                String kv = s.key() + "=" + defaults.text(s);
                assertThat(setAccepted(command, kv)).as("%s --set %s", command, kv).isEqualTo(listed.contains(s.key()));
            }
        }
        assertThat(setAccepted("torture", "lockup-timeout-ms=100")).isFalse();
    }

    /** {@code --set}'s help: its examples, then its keys, each {@code KEY=LABEL: help (default: ...)}. */
    private static final java.util.regex.Pattern SET_HELP = java.util.regex.Pattern.compile(
            "--set=KEY=VALUE Machine setting[^(]*\\(e\\.g\\. ([^)]*)\\); the keys: (.*?)(?: DURATION: .*)?$");

    private static Set<String> listedKeys(String keyLines) {
        return java.util.regex.Pattern.compile("(?:^| )([a-z][a-z-]*)=[A-Z]+: ").matcher(keyLines).results()
                .map(m -> m.group(1)).collect(java.util.stream.Collectors.toSet());
    }

    /** info's {@code --set} describes every machine setting with its help and its default. */
    @Test
    void infoDescribesEveryMachineSettingWithItsDefault() {
        java.util.regex.Matcher help = SET_HELP.matcher(help("info"));
        assertThat(help.find()).isTrue();
        assertThat(listedKeys(help.group(2))).containsExactlyInAnyOrderElementsOf(
                MachineConfig.SETTINGS.stream().map(Setting::key).toList());
        for (Setting<?> s : MachineConfig.SETTINGS) {
            assertThat(help.group(2).replaceAll("\\s+", " ")).contains(s.key() + "=" + s.type().label() + ": "
                    + s.help().replaceAll("\\s+", " "));
        }
        assertThat(help.group(2)).contains("lockup-timeout-ms=MS: Soft- and hard-lockup detector timeout (ms) (default: "
                + MachineConfig.LOCKUP_TIMEOUT.defaultText("info") + ")");
    }

    /** Every command that takes a duration says what one is, a bare number included. */
    @Test
    void aCommandTakingDurationsSaysABareNumberIsSeconds() {
        for (String command : List.of("torture", "compare")) {
            assertThat(help(command)).as(command).contains("DURATION: a number and a unit").contains(
                    "a bare number is seconds");
        }
        assertThat(help("info")).doesNotContain("DURATION:");
    }

    private static boolean setAccepted(String command, String setting) {
        Object c = command.equals("torture") ? new TortureCommand() : new CompareCommand();
        new CommandLine(c).parseArgs("--set", setting);
        TortureOptions options = c instanceof TortureCommand t ? t.options : ((CompareCommand) c).options;
        try {
            options.build(Set.of(), b -> b);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    @Test
    void compareOffersItsOwnSettingsWithTheirDefaults() {
        String help = help("compare");
        for (Setting<?> s : CompareSettings.SETTINGS) {
            assertThat(help).as(s.option()).contains(s.option() + "=");
            assertThat(help.replace(" ", "")).as(s.option()).contains(("(default: " + s.defaultText() + ")")
                    .replace(" ", ""));
        }
        assertThat(help).doesNotContain("%%");
    }

    /**
     * picocli formats descriptions as format strings: a help text from the table with '%' comes
     * out as written (CliConventionsTest checks that no command's help makes picocli warn).
     */
    @Test
    void helpFromTheTableKeepsItsPercentSigns() {
        assertThat(CompareSettings.ROUNDS.help()).contains("96 % confidence");
        assertThat(help("compare")).contains("96 % confidence").contains("95 % intervals");
    }

    @Test
    void compareRefusesItsSettingsInTheOptionsSpelling() {
        assertThatThrownBy(() -> CompareSettings.ROUNDS.parse("1")).isInstanceOfSatisfying(ConfigException.class,
                e -> assertThat(e.asOption()).startsWith("--rounds 1: must be at least 2"));
        assertThatThrownBy(() -> CompareSettings.LOCKS.parse("ticket,nope")).isInstanceOfSatisfying(
                ConfigException.class, e -> assertThat(e.asOption())
                        .startsWith("--locks ticket,nope: unknown lock strategy 'nope'; known: "));
        assertThat(CompareSettings.LOCKS.parse("ticket, mcs")).containsExactly("ticket", "mcs");
        assertThat(CompareSettings.SHARD.json(CompareSettings.SHARD.parse("2/3"))).isEqualTo("2/3");
    }

    @Test
    void theDefaultLockIsTheKernelsQspinlockNamedOnce() {
        assertThat(MachineConfig.LOCK.defaultText()).isEqualTo("qspinlock");
        assertThat(MachineConfig.of(Profile.X86_PAE).lock()).isEqualTo("qspinlock");
        assertThat(TortureConfig.builder(Profile.X86_PAE).build().machine().lock()).isEqualTo("qspinlock");
        assertThat(help("torture")).contains("(default: qspinlock)");
    }

    /**
     * compare times the lock, so it neither sleeps with mappings held nor pauses its workers:
     * both idle the CPUs alike for every lock (at torture's defaults, over nine tenths of a hit
     * round); torture keeps them, as locktorture does, to provoke races.
     */
    @Test
    void compareMeasuresWithoutTorturesHoldsAndStutter() {
        assertThat(TortureConfig.defaultText(TortureConfig.HOLD, "compare")).isEqualTo("0");
        assertThat(TortureConfig.defaultText(TortureConfig.STUTTER, "compare")).isEqualTo("off");
        assertThat(TortureConfig.defaultText(TortureConfig.HOLD, "torture")).isEqualTo("0.01");
        assertThat(TortureConfig.defaultText(TortureConfig.STUTTER, "torture")).isEqualTo("50ms/1ms");
    }

    @Test
    void aHypervisorIsRefusedWhereVirtSpinLockDoesNotExist() {
        assertThatThrownBy(() -> MachineConfig.builder(Profile.ARM_LIKE).hypervisor(true).build())
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.asOption())
                        .isEqualTo("--hypervisor true: must be false on arm-like: the test-and-set fallback under a"
                                + " hypervisor (virt_spin_lock) is x86's"));
        assertThat(MachineConfig.builder(Profile.X86_4G).hypervisor(true).build().hypervisor()).isTrue();
    }

    @Test
    void everyMachineSettingReadsBackWhatItWrites() {
        MachineConfig c = MachineConfig.builder(Profile.X86_4G).cpus(3).lastPkmap(64).colours(2).lockdep(true)
                .fault(dev.kmapstress.fault.Fault.WAKE_ONE).fault(dev.kmapstress.fault.Fault.NO_TLB_FLUSH).build();
        MachineConfig.Builder again = MachineConfig.builder(Profile.X86_PAE);
        c.asKeyValues().forEach(again::set);
        assertThat(again.build().asKeyValues()).isEqualTo(c.asKeyValues());
    }

    @Test
    void theReplayCommandRebuildsTheSameConfiguration() {
        TortureConfig c = TortureConfig.builder(Profile.X86_4G).cpus(2).lastPkmap(32).lock("mcs").seed(77)
                .irq(true).hold(0.5).fault(dev.kmapstress.fault.Fault.WAKE_ONE).build();
        List<String> replay = c.replayCommand();
        assertThat(replay.subList(0, 2)).containsExactly("./kmap-stress", "torture");

        TortureCommand command = new TortureCommand();
        CommandLine cl = new CommandLine(command);
        cl.parseArgs(replay.subList(2, replay.size()).toArray(String[]::new));
        TortureConfig again = command.options.build(java.util.Set.of(), b -> b);

        assertThat(again.describe()).isEqualTo(c.describe());
        assertThat(again.asJson()).isEqualTo(c.asJson());
    }

    @Test
    void describeNamesEveryTortureOptionOnce() {
        TortureConfig c = TortureConfig.builder(Profile.X86_PAE).seed(1).build();
        Set<String> keys = List.of(c.describe().split(" ")).stream().map(kv -> kv.substring(0, kv.indexOf('=')))
                .collect(Collectors.toSet());
        assertThat(keys).containsExactlyInAnyOrderElementsOf(TortureConfig.SETTINGS.stream()
                .filter(s -> s.optionOf("torture")).map(Setting::key).toList());
        assertThat(c.describe(Set.of(MachineConfig.LOCK, TortureConfig.SEED))).doesNotContain("lock=", "seed=");
    }

    @Test
    void aRefusalNamesTheSettingInBothSpellings() {
        assertThatThrownBy(() -> MachineConfig.builder(Profile.X86_PAE).set("cpus", "two"))
                .isInstanceOfSatisfying(ConfigException.class, e -> {
                    assertThat(e.getMessage()).isEqualTo("cpus=two: must be a whole number");
                    assertThat(e.asOption()).isEqualTo("--cpus two: must be a whole number");
                });
        assertThatThrownBy(() -> MachineConfig.builder(Profile.X86_PAE).set("nope", "1"))
                .hasMessageStartingWith("unknown setting 'nope'; known: profile, cpus");
    }
}
