package dev.kmapstress.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;

/**
 * The layers of core, as the brief draws them, kept by ArchUnit: dependencies point down only.
 *
 * <pre>
 *   cli
 *   results, report        the files and REPORT.md
 *   torture, compare, scenario   the harnesses
 *   boot
 *   machine, mm, sched, lock     the model
 *   log, fault, settings   the vocabulary everyone may use
 * </pre>
 *
 * Lock strategies see only the lock SPI, as a user's own lock jar does. The packages of the
 * model still depend on each other in a cycle ({@code Machine} assembles mm, sched and lock,
 * which reach back through {@code Machine} and {@code Cpu}); the cycle rule treats the model as
 * one slice until it sees only a small context interface (issue 15, point 3), and holds every
 * other package to no cycles at all.
 */
@AnalyzeClasses(packages = "dev.kmapstress", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    private static final String[] BASE = {"dev.kmapstress.log..", "dev.kmapstress.fault..",
        "dev.kmapstress.settings.."};
    private static final String[] MODEL = {"dev.kmapstress.machine..", "dev.kmapstress.mm..",
        "dev.kmapstress.sched..", "dev.kmapstress.lock.."};

    @ArchTest
    static final ArchRule layers = layeredArchitecture().consideringOnlyDependenciesInLayers()
            .layer("Base").definedBy(BASE)
            .layer("Model").definedBy(MODEL)
            .layer("Boot").definedBy("dev.kmapstress.boot..")
            .layer("Harnesses").definedBy("dev.kmapstress.torture..", "dev.kmapstress.compare..",
                    "dev.kmapstress.scenario..", "dev.kmapstress.kernelcheck..")
            .layer("Results").definedBy("dev.kmapstress.results..", "dev.kmapstress.report..")
            .layer("Cli").definedBy("dev.kmapstress.cli..")
            .whereLayer("Cli").mayNotBeAccessedByAnyLayer()
            .whereLayer("Results").mayOnlyBeAccessedByLayers("Cli")
            .whereLayer("Harnesses").mayOnlyBeAccessedByLayers("Results", "Cli")
            .whereLayer("Boot").mayOnlyBeAccessedByLayers("Harnesses", "Results", "Cli")
            .whereLayer("Model").mayOnlyBeAccessedByLayers("Boot", "Harnesses", "Results", "Cli")
            .because("dependencies point down only: the model knows nothing of who drives it");

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
    static final ArchRule noCycles = slices().assignedFrom(packagesWithTheModelAsOne())
            .should().beFreeOfCycles();

    private static com.tngtech.archunit.base.DescribedPredicate<JavaClass> spiOrOutside() {
        return com.tngtech.archunit.base.DescribedPredicate.describe("the lock SPI, the JDK or the strategies",
                c -> !c.getPackageName().startsWith("dev.kmapstress")
                        || c.getPackageName().startsWith("dev.kmapstress.lock.strategies")
                        || c.getName().equals("dev.kmapstress.lock.LockStrategy")
                        || c.getName().equals("dev.kmapstress.lock.LockStrategyProvider")
                        || c.getName().equals("dev.kmapstress.lock.CpuContext")
                        || c.getName().equals("dev.kmapstress.lock.LockPlatform"));
    }

    /** One slice per top-level package of core, the model's packages as one. */
    private static SliceAssignment packagesWithTheModelAsOne() {
        return new SliceAssignment() {
            @Override
            public SliceIdentifier getIdentifierOf(JavaClass c) {
                String p = c.getPackageName();
                if (!p.startsWith("dev.kmapstress.")) {
                    return SliceIdentifier.ignore();
                }
                String top = p.substring("dev.kmapstress.".length()).split("\\.")[0];
                if (p.startsWith("dev.kmapstress.lock.strategies")) {
                    return SliceIdentifier.of("lock.strategies");
                }
                boolean model = top.equals("machine") || top.equals("mm") || top.equals("sched") || top.equals("lock");
                return SliceIdentifier.of(model ? "model" : top);
            }

            @Override
            public String getDescription() {
                return "top-level packages of dev.kmapstress, machine/mm/sched/lock as one model";
            }
        };
    }
}
