package dev.tributary.functions.worker;

import dev.tributary.functions.code.LocatedCode;
import java.time.Duration;
import java.util.Map;

/**
 * What a starter needs to start a worker for one function version.
 *
 * @param handler python {@code [module.]function}, node {@code [file.]export}
 * @param env     the function's resolved declared environment (the base PATH/HOME/LANG are added per process)
 */
record WorkerRequest(PoolKey key, String functionName, LocatedCode code, String handler, Map<String, String> env,
                     int memoryMb, Duration keepWarm) {

    WorkerRequest {
        env = Map.copyOf(env);
    }

    String module() {
        return code.defaultModule();
    }
}
