package dev.tributary.engine.bench;

/** A workflow the bench runs over and over: its definitions and one run's input. */
record Scenario(String key, String title, String workflow, String definitions, String input) {

    static final String FUNCTIONS = """
            function: bench.add
            runtime: expr
            expr: "${ input.n + 1 }"
            ---
            """;

    /** (a) three steps, every one committed: set, an expr call, set. */
    static final Scenario THREE_STEPS = new Scenario("a", "3 steps (set, expr call, set)", "bench-three", FUNCTIONS + """
            workflow: bench-three
            steps:
              - { name: prepare, set: { n: "${ input.n * 2 }" } }
              - { name: add, call: bench.add, with: { n: "${ data.n }" } }
              - { name: finish, set: { total: "${ data.add }" } }
            """, "{\"n\": 20}");

    /** (b) a foreach of ten expr calls (concurrency 10). */
    static final Scenario FOREACH = new Scenario("b", "foreach of 10 expr calls", "bench-foreach", FUNCTIONS + """
            workflow: bench-foreach
            steps:
              - name: each
                foreach: ${ input.items }
                steps:
                  - { name: add, call: bench.add, with: { n: "${ item }" } }
            """, "{\"items\": [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]}");

    /** (c) a switch, then a zero wait, then a set. */
    static final Scenario SWITCH_WAIT = new Scenario("c", "switch + wait 0s", "bench-switch", FUNCTIONS + """
            workflow: bench-switch
            steps:
              - name: route
                switch:
                  - { when: "${ input.n > 10 }", next: big }
                  - { default: small }
              - { name: small, set: { size: small }, end: true }
              - { name: big, wait: 0s }
              - { name: done, set: { size: big } }
            """, "{\"n\": 20}");

    /** (d) each run sleeps one second on a durable timer. */
    static final Scenario TIMER = new Scenario("d", "1-second timer per run", "bench-timer", """
            workflow: bench-timer
            steps:
              - { name: sleep, wait: 1s }
              - { name: done, set: { woke: true } }
            """, "{}");
}
