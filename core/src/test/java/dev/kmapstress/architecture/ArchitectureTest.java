package dev.kmapstress.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.Architectures;
import java.util.Arrays;

/**
 * The layers of core, as the brief draws them, kept by ArchUnit: dependencies point down only.
 *
 * <pre>
 *   cli
 *   results, report        the files and REPORT.md
 *   torture, compare, scenario, kernelcheck   the harnesses
 *   boot
 *   kernel                 the machine: assembles the model, its watchdog writes the reports
 *   mm                     highmem: PKMAP, kmap_local, page_address, the copy helpers
 *   lock.wait              how map_new_virtual's sleepers wait
 *   sched                  the scheduler and its wait queues
 *   locking                kernel spinlocks, lockdep, lock statistics
 *   machine                the model's base: CPUs, pages, tasks, page table and TLBs, the
 *                          configuration, and the context the model sees of its machine
 *   lock                   the lock SPI (and the strategies, which see only it)
 *   log, fault, settings   the vocabulary everyone may use
 * </pre>
 *
 * Each layer may use every layer below it. The model's parts see the machine only as its
 * context ({@code MachineContext}: configuration, layout, tracer, CPUs, pages, log, reports),
 * and {@code Machine} hands each part the others it calls; so no package of core is in a cycle,
 * the model's included, and each package is its own slice of the cycle rule. Lock strategies
 * see only the lock SPI, as a user's own lock jar does.
 */
@AnalyzeClasses(packages = "dev.kmapstress", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    private static final String[] BASE = {"dev.kmapstress.log..", "dev.kmapstress.fault..",
        "dev.kmapstress.settings.."};

    /** The layers above the base vocabulary, lowest first: each is used only by those above it. */
    private static final String[][] LAYERS = {
        {"LockSpi", "dev.kmapstress.lock", "dev.kmapstress.lock.strategies.."},
        {"Machine", "dev.kmapstress.machine.."},
        {"Locking", "dev.kmapstress.locking.."},
        {"Sched", "dev.kmapstress.sched.."},
        {"Wait", "dev.kmapstress.lock.wait.."},
        {"Mm", "dev.kmapstress.mm.."},
        {"Kernel", "dev.kmapstress.kernel.."},
        {"Boot", "dev.kmapstress.boot.."},
        {"Harnesses", "dev.kmapstress.torture..", "dev.kmapstress.compare..", "dev.kmapstress.scenario..",
            "dev.kmapstress.kernelcheck.."},
        {"Results", "dev.kmapstress.results..", "dev.kmapstress.report.."},
        {"Cli", "dev.kmapstress.cli.."},
    };

    @ArchTest
    static final ArchRule layers = layersPointingDown()
            .because("dependencies point down only: the model knows nothing of who drives it, and"
                    + " its parts nothing of the machine that assembles them");

    @ArchTest
    static final ArchRule baseDependsOnNothingOfOurs = classes().that().resideInAnyPackage(BASE)
            .should().onlyDependOnClassesThat(JavaClass.Predicates.resideOutsideOfPackage("dev.kmapstress..")
                    .or(JavaClass.Predicates.resideInAnyPackage(BASE)))
            .because("log, fault and settings are the vocabulary every layer may use");

    @ArchTest
    static final ArchRule strategiesSeeOnlyTheLockSpi = classes().that()
            .resideInAPackage("dev.kmapstress.lock.strategies..")
            .should().onlyDependOnClassesThat(spiOrOutside())
            .because("a lock strategy sees what a user's own lock jar sees: LockStrategy,"
                    + " LockStrategyProvider, LockPlatform and CpuContext");

    @ArchTest
    static final ArchRule noCycles = slices().matching("dev.kmapstress.(**)")
            .should().beFreeOfCycles()
            .because("every package of core, each of the model's included, is its own slice");

    /** {@link #LAYERS}, each layer accessed only by the layers above it. */
    private static Architectures.LayeredArchitecture layersPointingDown() {
        Architectures.LayeredArchitecture a = layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("Base").definedBy(BASE);
        for (String[] layer : LAYERS) {
            a = a.layer(layer[0]).definedBy(Arrays.copyOfRange(layer, 1, layer.length));
        }
        for (int i = 0; i < LAYERS.length; i++) {
            String[] above = Arrays.stream(LAYERS, i + 1, LAYERS.length).map(l -> l[0])
                    .toArray(String[]::new);
            a = above.length == 0 ? a.whereLayer(LAYERS[i][0]).mayNotBeAccessedByAnyLayer()
                    : a.whereLayer(LAYERS[i][0]).mayOnlyBeAccessedByLayers(above);
        }
        return a;
    }

    private static com.tngtech.archunit.base.DescribedPredicate<JavaClass> spiOrOutside() {
        return com.tngtech.archunit.base.DescribedPredicate.describe("the lock SPI, the JDK or the strategies",
                c -> !c.getPackageName().startsWith("dev.kmapstress")
                        || c.getPackageName().startsWith("dev.kmapstress.lock.strategies")
                        || c.getName().equals("dev.kmapstress.lock.LockStrategy")
                        || c.getName().equals("dev.kmapstress.lock.LockStrategyProvider")
                        || c.getName().equals("dev.kmapstress.lock.CpuContext")
                        || c.getName().equals("dev.kmapstress.lock.LockPlatform"));
    }
}
