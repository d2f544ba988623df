package dev.kmapstress.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kmapstress.fault.Fault;
import dev.kmapstress.lock.LockRegistry;
import dev.kmapstress.lock.LockStrategyProvider;
import dev.kmapstress.lock.wait.WaitStrategies;
import dev.kmapstress.machine.Profile;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

/**
 * The conventions every command shares: a refusal is one line ({@code COMMAND: what; allowed;
 * try 'kmap-stress COMMAND --help'}) with exit 2 and no Java class names, {@code list} shows what
 * exists, {@code -V} names the build.
 */
class CliConventionsTest {

    /** The locks of core's test classes that play a user's lock (outside kmap-stress's own classes). */
    private static final Set<String> TEST_SCOPE_USER_LOCKS = Set.of("user-spin", "user-held-unlock");

    private static CliRun.Result cli(String... args) {
        return CliRun.run(args);
    }

    private static void assertOneLineRefusal(CliRun.Result r, String command, String... fragments) {
        assertThat(r.exit()).as(r.err()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).hasLineCount(1).startsWith(command.replace("kmap-stress ", "") + ": ")
                .endsWith("; try '" + command + " --help'\n").contains(fragments)
                .doesNotContainPattern("[A-Z][A-Za-z]*(Exception|Error)\\b");
    }

    /**
     * picocli renders each description with {@link String#format}: a bare '%' ("95 % intervals")
     * makes it print a "picocli WARN Could not format" block on standard error above the help.
     */
    @Test
    void everyCommandsHelpRendersWithoutPicocliWarnings() {
        java.io.ByteArrayOutputStream warnings = new java.io.ByteArrayOutputStream();
        java.io.PrintStream err = System.err;
        System.setErr(new java.io.PrintStream(warnings, true));
        try {
            Main.commandLine().getSubcommands().values().forEach(CommandLine::getUsageMessage);
        } finally {
            System.setErr(err);
        }
        assertThat(warnings.toString()).isEmpty();
    }

    @Test
    void anUnknownCommandIsOneLineListingTheCommands() {
        assertOneLineRefusal(cli("nosuch"), "kmap-stress", "unknown command 'nosuch'", "commands: ", "torture",
                "compare", "list");
    }

    @Test
    void helpForAnUnknownCommandIsOneClauseOfTheLine() {
        assertOneLineRefusal(cli("help", "bogus"), "kmap-stress", "unknown subcommand 'bogus'; try");
    }

    @Test
    void noCommandIsOneLine() {
        assertOneLineRefusal(cli(), "kmap-stress", "a subcommand is required");
    }

    @ParameterizedTest
    @CsvSource({"torture", "compare", "boot --e820 e820.txt", "run s.scenario", "info", "list", "report"})
    void anUnknownOptionIsOneLineForEveryCommand(String commandLine) {
        List<String> args = new java.util.ArrayList<>(List.of(commandLine.split(" ")));
        args.add("--nosuch");
        assertOneLineRefusal(cli(args.toArray(String[]::new)), "kmap-stress " + args.get(0),
                "unknown option '--nosuch'");
    }

    @Test
    void aMistypedOptionGetsTheNearestName() {
        assertOneLineRefusal(cli("torture", "--durration", "1s"), "kmap-stress torture",
                "unknown option '--durration'; did you mean --duration?");
    }

    @Test
    void anOptionWithoutItsValueIsOneLine() {
        assertOneLineRefusal(cli("torture", "--duration"), "kmap-stress torture", "--duration");
    }

    @Test
    void anUnexpectedArgumentIsOneLine() {
        assertOneLineRefusal(cli("torture", "now"), "kmap-stress torture", "unexpected argument 'now'",
                "options only");
    }

    @Test
    void echoedInputIsCutTo80Characters() {
        String lock = "l".repeat(500);
        CliRun.Result r = cli("torture", "--lock", lock, "--duration", "1s");
        assertOneLineRefusal(r, "kmap-stress torture", "l".repeat(80) + "... (500 characters)");
        assertThat(r.err()).doesNotContain("l".repeat(81));
    }

    @ParameterizedTest
    @CsvSource({"99999999999h", "9000h", "1e30s"})
    void anAbsurdDurationIsRefused(String duration) {
        CliRun.Result r = cli("torture", "--duration", duration);
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("--duration " + duration);
    }

    @Test
    void tortureTakesMachineSwitchesBySetAndItsReplayKeepsThem(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws java.io.IOException {
        java.nio.file.Path json = dir.resolve("r.json");
        CliRun.Result r = cli("torture", "--set", "lockdep=true", "--set", "lock-statistics=true", "--duration", "300ms",
                "--cpus", "2", "--seed", "3", "--quiet", "--json", json.toString());
        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        com.fasterxml.jackson.databind.JsonNode config = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(json.toFile()).get("config");
        assertThat(config.get("lockdep").asBoolean()).isTrue();
        assertThat(config.get("lock-statistics").asBoolean()).isTrue();
        assertThat(dev.kmapstress.torture.TortureConfig.builder(Profile.X86_PAE).set("lockdep", "true").build()
                .replayCommand()).containsSubsequence("--set", "lockdep=true");
    }

    @Test
    void setIsRefusedInOneLineForAValueItCannotTake() {
        assertOneLineRefusal(cli("compare", "--set", "lockdep=maybe"), "kmap-stress compare",
                "--set lockdep=maybe: must be true or false (or yes/no, on/off)");
        assertOneLineRefusal(cli("torture", "--set", "lock=mcs"), "kmap-stress torture",
                "--set lock=mcs: lock has an option of its own here; use --lock");
        assertOneLineRefusal(cli("torture", "--set", "nosuch=1"), "kmap-stress torture",
                "--set nosuch=1: unknown setting; known: ");
    }

    @Test
    void listWithoutArgumentListsTheLists() {
        CliRun.Result r = cli("list");
        assertThat(r.exit()).isZero();
        assertThat(r.out().lines().map(l -> l.split("\t")[0]))
                .containsExactly("locks", "wait-strategies", "profiles", "workloads", "faults");
        assertThat(r.out().lines()).allMatch(l -> l.split("\t").length == 2);
    }

    @Test
    void listLocksShowsEveryStrategyWithItsDescriptionAndMarksTheBrokenOnes() {
        CliRun.Result r = cli("list", "locks");
        assertThat(r.exit()).isZero();
        List<String> lines = r.out().lines().toList();
        List<LockStrategyProvider> providers = LockRegistry.standard().providers();
        assertThat(lines).hasSize(providers.size());
        for (LockStrategyProvider p : providers) {
            String marks = p.broken() ? "[broken] " : TEST_SCOPE_USER_LOCKS.contains(p.name()) ? "[user] " : "";
            assertThat(lines).contains(p.name() + "\t" + marks + p.description());
        }
        assertThat(providers).anyMatch(LockStrategyProvider::broken);
    }

    @Test
    void listFaultsNamesTheInstrumentsThatCatchEach() {
        CliRun.Result r = cli("list", "faults");
        assertThat(r.out().lines().map(l -> l.split("\t")[0]))
                .containsExactlyElementsOf(Arrays.stream(Fault.values()).map(Fault::name).toList());
        assertThat(r.out()).contains("NO_TLB_FLUSH\tflush_all_zero_pkmaps frees slots without flushing TLBs;"
                + " caught by scenario, torture, jcstress, lincheck\n",
                "WAKEUP_TEST_AFTER_UNLOCK\t", "benign");
    }

    @Test
    void listTheOtherListsByTheirNames() {
        assertThat(cli("list", "wait-strategies").out().lines().map(l -> l.split("\t")[0]))
                .containsExactlyElementsOf(WaitStrategies.names());
        assertThat(cli("list", "profiles").out().lines().map(l -> l.split("\t")[0]))
                .containsExactlyElementsOf(Arrays.stream(Profile.values()).map(Profile::id).toList());
        assertThat(cli("list", "workloads").out()).contains("persistent\tkmap, kunmap", "mixed\t");
    }

    @Test
    void anUnknownListIsOneLine() {
        assertOneLineRefusal(cli("list", "lockz"), "kmap-stress list", "unknown list 'lockz'",
                "locks, wait-strategies, profiles, workloads, faults");
    }

    @Test
    void versionNamesTheReleaseTheCommitAndTheJdk() {
        CliRun.Result r = cli("-V");
        assertThat(r.exit()).isZero();
        assertThat(r.out().lines().toList()).hasSize(3);
        assertThat(r.out()).containsPattern("^kmap-stress \\d+\\.\\d+\\.\\d+\\S* \\(commit [0-9a-f]{7,}")
                .contains("JDK " + System.getProperty("java.version"));
    }

    @Test
    void everyCommandWhoseHelpListsDashVPrintsTheVersion() {
        String version = cli("-V").out();
        List<String> withV = Main.commandLine().getSubcommands().entrySet().stream()
                .filter(e -> e.getValue().getCommandSpec().findOption("-V") != null).map(Map.Entry::getKey).toList();
        assertThat(withV).contains("torture", "compare", "info", "boot", "run", "report", "list", "kernel-check");
        for (String command : withV) {
            CliRun.Result r = cli(command, "-V");
            assertThat(r.exit()).as(command).isZero();
            assertThat(r.out()).as(command).isEqualTo(version);
        }
    }

    @Test
    void aMissingJarOnTheLaunchersClassPathIsRefusedByName() {
        String existing = System.getProperty("java.io.tmpdir");
        assertThat(ClassPathCheck.missingEntries(existing + ":/nonexistent/my-lock.jar"))
                .isEqualTo("kmap-stress: KMAP_STRESS_CLASSPATH names /nonexistent/my-lock.jar, which does not"
                        + " exist; it takes ':'-separated jars or class directories holding lock strategies");
        assertThat(ClassPathCheck.missingEntries(existing)).isEmpty();
        assertThat(ClassPathCheck.missingEntries(null)).isEmpty();
    }
}
