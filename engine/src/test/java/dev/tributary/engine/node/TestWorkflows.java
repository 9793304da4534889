package dev.tributary.engine.node;

import dev.tributary.dsl.load.SourceText;
import java.util.List;

/** The definitions node tests deploy: SPEC §2.4's order workflow with {@code expr} stand-ins, and a few small ones. */
final class TestWorkflows {

    private TestWorkflows() {
    }

    static final String ORDERS = """
            function: payments.charge
            runtime: expr
            expr: "${ input.amount > 0 ? 'rcpt-' + input.amount : null }"
            ---
            function: shipping.label
            runtime: expr
            expr: "${ 'TRK-' + input.orderId }"
            ---
            function: email.send
            runtime: expr
            expr: ${ input.to }
            ---
            workflow: order-fulfilment
            description: Charge the card, ship, notify.
            input:
              schema: { type: object, required: [orderId, total] }
            timeout: 1h
            steps:
              - name: charge
                call: payments.charge
                with: { amount: "${ data.total }" }
                result: receipt
              - name: route
                switch:
                  - when: ${ data.total > 1000 }
                    next: review
                  - default: ship
              - name: review
                wait: { event: review.decided, key: "${ data.orderId }", timeout: 2d, result: decision }
                catch: [ { errors: [Timeout], next: declined } ]
              - name: ship
                parallel:
                  branches:
                    - steps: [ { name: label, call: shipping.label } ]
                    - steps: [ { name: notify, call: email.send, with: { to: "${ data.email }" } } ]
              - name: done
                succeed: true
              - name: declined
                fail: { error: PaymentDeclined, message: "order ${ data.orderId } declined" }
            """;

    static final String NAP = """
            workflow: nap
            steps:
              - name: sleep
                wait: 1h
              - name: wake
                set: { woke: true }
            """;

    static final String FAMILY = """
            function: calc.double
            runtime: expr
            expr: ${ input.n * 2 }
            ---
            workflow: doubler
            output: ${ data.value }
            steps:
              - name: twice
                call: calc.double
                with: { n: "${ data.n }" }
                result: value
            ---
            workflow: parent
            steps:
              - name: sub
                workflow: doubler
                with: { n: "${ data.n }" }
                result: doubled
            """;

    static final String EVENTS = """
            workflow: announcer
            steps:
              - name: tell
                emit: { type: order.ready, subject: "${ data.orderId }", data: { ok: true } }
            ---
            workflow: listener
            steps:
              - name: hear
                wait: { event: order.ready, key: "${ data.orderId }", timeout: 1h }
            """;

    static final String SIMPLE = """
            function: calc.inc
            runtime: expr
            expr: ${ input.n + 1 }
            ---
            workflow: simple
            output: ${ data.n }
            steps:
              - name: first
                call: calc.inc
                with: { n: "${ data.n }" }
                result: n
              - name: second
                call: calc.inc
                with: { n: "${ data.n }" }
                result: n
              - name: mark
                set: { done: true }
            """;

    static final String PYTHON = """
            function: py.hello
            runtime: python
            source: |
              def main(args):
                  return args
            ---
            workflow: snake
            steps:
              - name: hello
                call: py.hello
                retry: none
            """;

    static List<SourceText> files(String... yaml) {
        List<SourceText> files = new java.util.ArrayList<>();
        for (int i = 0; i < yaml.length; i++) {
            files.add(new SourceText("test-" + i + ".yaml", yaml[i]));
        }
        return files;
    }
}
