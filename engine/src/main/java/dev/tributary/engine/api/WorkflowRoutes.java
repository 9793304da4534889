package dev.tributary.engine.api;

import dev.tributary.engine.node.Engine;

/** {@code /workflows}: list, show (with its definition and versions), remove. */
final class WorkflowRoutes {

    private final Engine engine;
    private final EngineCalls calls;

    WorkflowRoutes(Engine engine, EngineCalls calls) {
        this.engine = engine;
        this.calls = calls;
    }

    void mount(ApiRoutes routes) {
        routes.get("/workflows", (ctx, body) ->
                calls.blocking(engine::workflows).map(list -> Reply.ok(Representations.workflows(list))));
        routes.get("/workflows/{name}", (ctx, body) -> {
            String name = ctx.pathParam("name");
            return calls.blocking(() -> engine.workflow(name))
                    .map(found -> Reply.ok(Representations.workflow(found.orElseThrow(() -> noWorkflow(name)), true)));
        });
        routes.delete("/workflows/{name}", (ctx, body) -> {
            String name = ctx.pathParam("name");
            return calls.blocking(() -> engine.deleteWorkflow(name))
                    .map(deleted -> {
                        if (!deleted) {
                            throw noWorkflow(name);
                        }
                        return Reply.noContent();
                    });
        });
    }

    static ApiError noWorkflow(String name) {
        return ApiError.notFound("There is no workflow '" + name + "'; GET /api/v1/workflows lists the deployed ones");
    }
}
