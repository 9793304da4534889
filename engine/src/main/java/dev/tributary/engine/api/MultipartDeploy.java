package dev.tributary.engine.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.tributary.dsl.load.SourceText;
import dev.tributary.engine.node.CodeUpload;
import dev.tributary.functions.code.CodeArchive;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.multipart.DefaultHttpDataFactory;
import io.netty.handler.codec.http.multipart.FileUpload;
import io.netty.handler.codec.http.multipart.HttpData;
import io.netty.handler.codec.http.multipart.HttpPostMultipartRequestDecoder;
import io.netty.handler.codec.http.multipart.HttpPostRequestDecoder;
import io.netty.handler.codec.http.multipart.InterfaceHttpData;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The definition files and function code of a {@code multipart/form-data} deploy (SPEC §5).
 * <ul>
 * <li>A part named {@code code} is the code of one {@code code:} path; its filename is that path
 * resolved against the definition file's name ({@link CodeUpload#resolve}). A {@code .zip} or
 * {@code .jar} path, or a part of type {@code application/zip} (a packed directory or file), is
 * taken as the archive it is; any other part is one file's raw content (what
 * {@code curl -F code=@fn/handler.py;filename=fn/handler.py} sends), packed here exactly as
 * {@code trib deploy} packs a file, so both deploy the same version.</li>
 * <li>A part whose filename ends in {@code .yaml}, {@code .yml} or {@code .json}, and the part
 * named {@code manifest}, is one definition file named after its filename, so problems point at
 * the user's own files.</li>
 * <li>Any other part is refused by name, never dropped, so a deploy cannot half-succeed.</li>
 * </ul>
 *
 * <p>The body arrives already collected within the body limit ({@link BodyReader}) and is decoded
 * in memory by Netty's multipart decoder, the one Vert.x's {@code setExpectMultipart} drives. That
 * switch is not used because it must be thrown before the first body byte arrives, which here is
 * in {@link ApiRoutes} for every body route alike; there it would also apply the server's form
 * limits (8 KiB per field) to other routes' multipart bodies, such as binary CloudEvents.
 */
final class MultipartDeploy {

    static final String MEDIA_TYPE = "multipart/form-data";
    static final String MANIFEST = "manifest";
    static final String CODE = "code";
    static final String ZIP_TYPE = "application/zip";
    /** Bounds the decoder's bookkeeping; a project's definition files are far fewer. */
    static final int MAX_PARTS = 1000;

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private MultipartDeploy() {
    }

    /** The definition files and code uploads of one deploy, each in the order sent. */
    record Parts(List<SourceText> files, List<CodeUpload> code) {
    }

    /**
     * The definition files and code uploads in {@code body}.
     *
     * @param contentType the request's whole Content-Type header (it carries the boundary)
     * @throws ApiError 400 for a malformed body, a part that is neither definitions nor code, a file
     *                  that is not UTF-8, two parts with one filename, or no definitions at all
     */
    static Parts read(String contentType, Buffer body) {
        String boundary = boundary(contentType);
        ByteBuf bytes = Unpooled.wrappedBuffer(body.getBytes());
        if (ByteBufUtil.indexOf(Unpooled.copiedBuffer("--" + boundary + "--", StandardCharsets.ISO_8859_1), bytes) < 0) {
            // The decoder quietly returns the parts it finished; a missing close-delimiter would
            // deploy fewer files than were sent.
            throw malformed("it does not end with the closing boundary '--" + boundary + "--'");
        }
        HttpRequest head = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/deploy");
        head.headers().set("Content-Type", contentType);
        HttpPostMultipartRequestDecoder decoder;
        try {
            // In memory (no temporary files) and no buffered-bytes cap: the body limit already holds.
            decoder = new HttpPostMultipartRequestDecoder(new DefaultHttpDataFactory(false), head, StandardCharsets.UTF_8,
                    MAX_PARTS, -1);
        } catch (HttpPostRequestDecoder.ErrorDataDecoderException e) {
            throw malformed(reason(e));
        }
        try {
            decoder.offer(new DefaultLastHttpContent(bytes));
            if (decoder.currentPartialHttpData() != null) {
                throw malformed("its last part '" + decoder.currentPartialHttpData().getName() + "' is cut short");
            }
            return parts(decoder.getBodyHttpDatas());
        } catch (HttpPostRequestDecoder.TooManyFormFieldsException e) {
            throw ApiError.badRequest("Expected a multipart deploy of at most " + MAX_PARTS + " parts, but it has more; "
                    + "deploy fewer files at once");
        } catch (HttpPostRequestDecoder.ErrorDataDecoderException e) {
            throw malformed(reason(e));
        } finally {
            decoder.destroy();
        }
    }

    private static Parts parts(List<InterfaceHttpData> parts) {
        List<SourceText> files = new ArrayList<>();
        Map<String, CodeUpload> code = new LinkedHashMap<>();
        List<JsonNode> strangers = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (InterfaceHttpData data : parts) {
            String part = data.getName();
            FileUpload upload = data instanceof FileUpload f ? f : null;
            String filename = upload == null || upload.getFilename() == null ? "" : upload.getFilename().trim();
            if (CODE.equals(part)) {
                CodeUpload uploaded = code(filename, upload, bytes((HttpData) data));
                if (code.putIfAbsent(uploaded.path(), uploaded) != null) {
                    throw ApiError.badRequest("Expected one 'code' part per code path, but two are for '" + uploaded.path() + "'");
                }
                continue;
            }
            String name;
            if (isDefinitionFile(filename)) {
                name = DeployRoutes.cleanName(filename);
            } else if (MANIFEST.equals(part)) {
                String cleaned = DeployRoutes.cleanName(filename);
                boolean json = upload != null && upload.getContentType() != null
                        && MediaTypes.isJson(mediaType(upload.getContentType()));
                name = !cleaned.isEmpty() ? cleaned : json ? "manifest.json" : "manifest.yaml";
            } else {
                strangers.add(NODES.objectNode().put("part", part).put("filename", filename)
                        .put("message", "neither a definition file nor a part named 'code'"));
                continue;
            }
            if (!names.add(name)) {
                throw ApiError.badRequest("Expected each definition part to have its own filename, but two are called '" + name
                        + "'; name each part after its path (curl: -F 'file=@dir/a.yaml;filename=dir/a.yaml')");
            }
            files.add(new SourceText(name, utf8(bytes((HttpData) data), name)));
        }
        if (!strangers.isEmpty()) {
            throw strangersRefused(strangers);
        }
        if (files.stream().allMatch(file -> file.text().isBlank())) {
            throw ApiError.badRequest("Expected YAML or JSON definitions in the multipart body (parts with a .yaml, .yml or "
                    + ".json filename, or a part named 'manifest'), but "
                    + (files.isEmpty() ? "there are none" : "they are all empty"));
        }
        return new Parts(files, List.copyOf(code.values()));
    }

    /** A {@code code} part as the archive the engine stores: see the class comment for the three forms. */
    private static CodeUpload code(String filename, FileUpload upload, byte[] bytes) {
        String path = CodeUpload.normalise(DeployRoutes.cleanName(filename));
        if (filename.isEmpty() || path.equals(".")) {
            throw ApiError.badRequest("Expected each part named 'code' to have a filename, the function's code path resolved "
                    + "against its definition file (e.g. fn/handler.py), but one has none");
        }
        boolean packed = CodeArchive.isArchivePath(path)
                || (upload != null && upload.getContentType() != null && ZIP_TYPE.equals(mediaType(upload.getContentType())));
        return new CodeUpload(path, packed ? bytes : CodeArchive.ofFile(path.substring(path.lastIndexOf('/') + 1), bytes).bytes());
    }

    private static String mediaType(String contentType) {
        int semicolon = contentType.indexOf(';');
        return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
    }

    private static boolean isDefinitionFile(String filename) {
        String lower = filename.toLowerCase(Locale.ROOT);
        return lower.endsWith(".yaml") || lower.endsWith(".yml") || lower.endsWith(".json");
    }

    private static ApiError strangersRefused(List<JsonNode> strangers) {
        StringBuilder named = new StringBuilder();
        for (JsonNode part : strangers) {
            named.append(named.isEmpty() ? "" : ", ").append('\'').append(part.get("part").asText()).append('\'');
            if (!part.get("filename").asText().isEmpty()) {
                named.append(" (").append(part.get("filename").asText()).append(')');
            }
        }
        return ApiError.badRequest("Expected definition parts (a .yaml, .yml or .json filename, or the part named 'manifest') "
                + "and code parts (named 'code'), but part" + (strangers.size() == 1 ? " " : "s ") + named
                + (strangers.size() == 1 ? " is" : " are") + " neither; name code parts 'code' with the code path as filename",
                strangers);
    }

    /** The boundary parameter of the Content-Type, unquoted. */
    static String boundary(String contentType) {
        String[] parameters = contentType.split(";");
        for (int i = 1; i < parameters.length; i++) {
            int equals = parameters[i].indexOf('=');
            if (equals > 0 && parameters[i].substring(0, equals).trim().equalsIgnoreCase("boundary")) {
                String value = parameters[i].substring(equals + 1).trim();
                if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                    value = value.substring(1, value.length() - 1);
                }
                if (!value.isEmpty()) {
                    return value;
                }
            }
        }
        throw ApiError.badRequest("Expected a boundary parameter in the Content-Type of a multipart deploy "
                + "(multipart/form-data; boundary=...), but it has none");
    }

    private static byte[] bytes(HttpData data) {
        try {
            return data.get();
        } catch (IOException e) {
            // In-memory data cannot fail to read; say which part if it ever does.
            throw new IllegalStateException("Expected to read part '" + data.getName() + "' from memory, but "
                    + e.getMessage(), e);
        }
    }

    private static String utf8(byte[] bytes, String file) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw ApiError.badRequest("Expected '" + file + "' as UTF-8 text, but it holds bytes that are not UTF-8");
        }
    }

    private static ApiError malformed(String why) {
        return ApiError.badRequest("Expected a multipart/form-data deploy body, but " + why);
    }

    private static String reason(Exception e) {
        Throwable cause = e.getMessage() == null && e.getCause() != null ? e.getCause() : e;
        return "it could not be decoded: " + (cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage());
    }
}
