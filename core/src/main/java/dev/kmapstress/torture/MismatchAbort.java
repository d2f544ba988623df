package dev.kmapstress.torture;

/**
 * Ends a worker after it reported wrong data into the kernel log: the model is corrupt, so the
 * worker releases what it holds and stops, as the run does.
 */
final class MismatchAbort extends RuntimeException {

    private static final long serialVersionUID = 1L;

    MismatchAbort(String headline) {
        super(headline, null, false, false);
    }
}
