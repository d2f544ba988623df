package dev.kmapstress.scenario;

/**
 * How a scenario ended: every line held (exit 0), or the first that did not, with the line
 * number and what was seen instead (exit 1), e.g.
 * {@code wake-one.scenario:17: expect cpu1 wait = 0xff001000: cpu1 cannot proceed: ...}.
 */
public record ScenarioResult(boolean passed, int line, String failure) {

    static final ScenarioResult PASSED = new ScenarioResult(true, 0, null);

    static ScenarioResult failed(Script script, Script.Line line, String what) {
        return new ScenarioResult(false, line.line(),
                script.source() + ":" + line.line() + ": " + line.text() + ": " + what);
    }

    /** The CLI's exit code: 0 passed, 1 failed. */
    public int exitCode() {
        return passed ? 0 : 1;
    }
}
