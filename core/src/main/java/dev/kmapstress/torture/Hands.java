package dev.kmapstress.torture;

/**
 * What an {@link Activity} works with: the worker's steps on its CPU, each claiming pages from
 * the ledger, timing the kernel call, recording the step and verifying the page. The worker
 * implements it; an activity decides which of them its item takes.
 */
interface Hands {

    /** Claims a page and maps it through {@code kind}, then checks it (and stamps it if written). */
    void map(Mapping mp, MapKind kind);

    /** Checks that page_address() of a mapped page gives the address its mapping returned. */
    void checkAddress(Mapping mp);

    /** page_address() of a random page of the worker's pool, checked against the page table. */
    void probeRandomPage();

    /** Claims two pages and copies one into the other (copy_highpage), reading it back. */
    void copy(Mapping mp);

    /** Checks a mapped item's page through its mapping, and its content if written. */
    void verifyMapped(Mapping mp);

    /** Checks an item's page content if the task wrote it (a copy's destination). */
    void verifyContent(Mapping mp);

    /** Unmaps an item that {@link #map} mapped through {@code kind}. */
    void unmap(Mapping mp, MapKind kind);

    /** True one time in {@code n}, drawn from the worker's seeded random numbers. */
    boolean oneIn(int n);

    /** kmap_flush_unused(). */
    void flushUnused();
}
