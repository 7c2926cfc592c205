package dev.ergate;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import com.fasterxml.jackson.databind.node.NumericNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Reads and writes a {@link Job} as Python Ergate's JSON: known fields by their snake_case names,
 * unknown ones kept, the status by name or a {@link StatusDialect} code, {@code encode(decode(x))}
 * equal to {@code x}. Decoding reads the job straight from the parser's tokens (only its JSON
 * values become trees). Bad input raises {@link JobFormatException} naming the field; documents
 * deeper than {@value #MAX_NESTING_DEPTH} levels or longer than {@link #maxDocumentBytes()} are
 * refused; no polymorphic typing. Immutable and thread-safe (DESIGN.md,
 * "The model").
 */
public final class JobCodec {

    /** The deepest nesting of JSON arrays and objects a document may have. */
    public static final int MAX_NESTING_DEPTH = 1000;

    /**
     * The default longest document {@link #decode(byte[])} reads, in bytes (64 MiB): four times the
     * largest default {@code maxJobBytes} of Ergate's queues (Redis, 16 MiB), so no job a queue
     * accepts with its defaults is refused here.
     */
    public static final long DEFAULT_MAX_DOCUMENT_BYTES = 64L * 1024 * 1024;

    private static final int SHOWN_VALUE_CHARS = 80;
    /**
     * The known fields' names, quoted and UTF-8 encoded once: written by copying, and read by
     * comparing the document's bytes ({@link #nextName}).
     */
    private static final SerializedString[] FIELD_NAMES = fieldNames();
    private static final JobCodec STANDARD = builder().build();

    private final StatusDialect dialect;
    private final boolean writeStatusCodes;
    private final long maxDocumentBytes;
    private final ObjectMapper mapper;
    /** The same as {@link #mapper} without the document-length limit, for {@link #toTree}: the job is already in memory. */
    private final ObjectMapper ownJobsMapper;

    private JobCodec(Builder builder) {
        this.dialect = builder.dialect;
        this.writeStatusCodes = builder.writeStatusCodes != null ? builder.writeStatusCodes
                : builder.dialect != StatusDialect.NAMES_ONLY;
        this.maxDocumentBytes = builder.maxDocumentBytes;
        this.mapper = mapper(StreamReadConstraints.builder()
                .maxNestingDepth(MAX_NESTING_DEPTH)
                // decode checks the length first with a clearer message; this holds for any other read
                .maxDocumentLength(maxDocumentBytes)
                .build());
        this.ownJobsMapper = mapper(StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING_DEPTH).build());
    }

    private static SerializedString[] fieldNames() {
        SerializedString[] names = new SerializedString[JobField.ALL.length];
        for (JobField field : JobField.ALL) {
            names[field.ordinal()] = new SerializedString(field.json);
        }
        return names;
    }

    private static ObjectMapper mapper(StreamReadConstraints constraints) {
        JsonFactory factory = JsonFactory.builder().streamReadConstraints(constraints)
                // the same doubles as Double.parseDouble (both round correctly), without its
                // BigInteger arithmetic for 17-digit fractions like a progress of 33.333333333333336
                .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
                .build();
        return JsonMapper.builder(factory)
                // a document with a field twice is ambiguous: which one would Python have kept?
                .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY, DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .nodeFactory(FiniteNumberNodeFactory.INSTANCE)
                .build();
    }

    /** {@return the default codec: status names only, written as names} */
    public static JobCodec standard() {
        return STANDARD;
    }

    /** {@return a builder for a codec with a Python status dialect} */
    public static Builder builder() {
        return new Builder();
    }

    /** {@return the dialect used to read (and, if chosen, write) integer status codes} */
    public StatusDialect dialect() {
        return dialect;
    }

    /**
     * {@return the longest document, in bytes of UTF-8, that {@link #decode(byte[])} reads; longer
     *     ones are refused with a {@link JobFormatException} naming both sizes, before any parsing}
     */
    public long maxDocumentBytes() {
        return maxDocumentBytes;
    }

    // ---------------------------------------------------------------- writing

    /**
     * @param job the job to write
     * @return its JSON, UTF-8
     * @throws JobFormatException if status codes are written and the dialect has no code for
     *     the job's status, or a JSON value of the job can't be written (a {@code POJONode}
     *     holding an object Jackson can't serialize)
     */
    public byte[] encode(Job job) {
        EncodeBuffer out = EncodeBuffer.take();
        try {
            try (JsonGenerator gen = mapper.getFactory().createGenerator(out)) {
                write(job, gen);
            } catch (JsonProcessingException e) {
                // a value Jackson can't write, such as a POJONode holding an object it can't serialize
                throw new JobFormatException(null, "job " + job.id() + " of workflow '" + job.workflowName()
                        + "' can't be written as JSON: " + firstLine(e.getOriginalMessage()), e);
            } catch (IOException e) {
                throw new UncheckedIOException("writing to memory can't fail", e);
            }
            return out.toByteArray();
        } finally {
            out.giveBack();
        }
    }

    /**
     * @param job the job to write
     * @return its JSON as a string
     * @throws JobFormatException as {@link #encode(Job)}
     */
    public String encodeToString(Job job) {
        return new String(encode(job), StandardCharsets.UTF_8);
    }

    /**
     * @param job the job to write
     * @return its JSON as a Jackson tree
     */
    public JsonNode toTree(Job job) {
        return decodeTree(ownJobsMapper, encode(job));
    }

    private void write(Job job, JsonGenerator gen) throws IOException {
        gen.writeStartObject();
        for (JobField field : JobField.ALL) {
            if (job.isAbsent(field)) {
                continue;
            }
            gen.writeFieldName(FIELD_NAMES[field.ordinal()]);
            writeValue(job, field, gen);
        }
        ExtraFields extras = job.extras();
        for (int i = 0, n = extras.size(); i < n; i++) { // by slot: no entry object per field
            gen.writeFieldName(extras.names[i]);
            JsonTreeWriter.write(extras.values[i], gen, mapper);
        }
        gen.writeEndObject();
    }

    private void writeValue(Job job, JobField field, JsonGenerator gen) throws IOException {
        switch (field) {
            case ID -> {
                JobId id = job.id();
                if (id == null) {
                    gen.writeNull();
                } else if (id.isNumeric()) {
                    gen.writeNumber(id.value()); // the integer's decimal digits, as a number
                } else {
                    JsonTreeWriter.writeString(id.value(), gen);
                }
            }
            case WORKFLOW_NAME -> JsonTreeWriter.writeString(job.workflowName(), gen);
            case STEP_NAME -> writeNullableString(gen, job.stepName());
            case STATUS -> writeStatus(job.status(), gen);
            case STEPS_COMPLETED -> gen.writeNumber(job.stepsCompleted());
            case PERCENT_COMPLETED -> gen.writeNumber(job.percentCompleted());
            case INITIAL_INPUT_VALUE -> JsonTreeWriter.write(job.initialInputValue(), gen, mapper);
            case LAST_RETURN_VALUE -> JsonTreeWriter.write(job.lastReturnValue(), gen, mapper);
            case EXCEPTION_TRACEBACK -> writeNullableString(gen, job.exceptionTraceback());
            case USER_CONTEXT -> JsonTreeWriter.write(job.userContext(), gen, mapper);
            case REQUESTED_START_TIME -> {
                Instant time = job.requestedStartTime();
                writeNullableString(gen, time == null ? null : time.toString());
            }
        }
    }

    private void writeStatus(JobStatus status, JsonGenerator gen) throws IOException {
        if (!writeStatusCodes) {
            gen.writeString(status.name());
            return;
        }
        Integer code = dialect.code(status).orElseThrow(() -> new JobFormatException("status",
                "status: " + status + " has no integer code in dialect " + dialect, null));
        gen.writeNumber(code);
    }

    private static void writeNullableString(JsonGenerator gen, @Nullable String value) throws IOException {
        if (value == null) {
            gen.writeNull();
        } else {
            JsonTreeWriter.writeString(value, gen);
        }
    }

    // ---------------------------------------------------------------- reading

    /**
     * @param json a job's JSON, UTF-8
     * @return the job
     * @throws JobFormatException if the bytes are not a valid job or are longer than
     *     {@link #maxDocumentBytes()}; nothing else is thrown
     */
    public Job decode(byte[] json) {
        Objects.requireNonNull(json, "json");
        if (json.length > maxDocumentBytes) {
            throw tooLong(json.length, "");
        }
        Job job = decodeStreaming(json);
        // Refused: read again through a tree, which names the problem exactly as decode always has
        // (the first error in the document, parse errors before field errors). Bad input only.
        return job != null ? job : decodeThroughTree(json);
    }

    /**
     * @param json a job's JSON
     * @return the job
     * @throws JobFormatException if the text is not a valid job or its UTF-8 is longer than
     *     {@link #maxDocumentBytes()}; nothing else is thrown
     */
    public Job decode(String json) {
        Objects.requireNonNull(json, "json");
        if (json.length() > maxDocumentBytes) {
            // UTF-8 takes at least a byte per char: refused before a copy is made
            throw tooLong(json.length(), "at least ");
        }
        return decode(json.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Reads the job straight from the parser's tokens: no tree of the whole document, only the
     * JSON values themselves (input, return value, user context, extra fields) are built as
     * trees. Accepts exactly what {@link #decodeThroughTree} accepts, giving an equal job.
     *
     * @return the job, or {@code null} if the document is not one (then the tree path, which
     *     gives the error, must read it)
     */
    @Nullable Job decodeStreaming(byte[] json) {
        try (JsonParser parser = mapper.getFactory().createParser(json)) {
            return readJob(parser);
        } catch (IOException | RuntimeException | StackOverflowError refused) {
            return null;
        }
    }

    /** The reference decode, through a tree of the whole document: {@link #decode}'s error path. */
    Job decodeThroughTree(byte[] json) {
        return fromTree(decodeTree(mapper, json));
    }

    private @Nullable Job readJob(JsonParser parser) throws IOException {
        if (parser.nextToken() != JsonToken.START_OBJECT) {
            return null;
        }
        Job.Builder builder = Job.builder();
        int present = 0;
        int expected = 0; // the field the next name likely is: Ergate writes them in JobField order
        for (String name = nextName(parser, expected); name != null; name = nextName(parser, expected)) {
            parser.nextToken();
            JsonNode value = readValue(parser);
            JobField field = expected < JobField.ALL.length && name == JobField.ALL[expected].json
                    ? JobField.ALL[expected] // as predicted: no lookup
                    : JobField.byJsonName(name);
            if (field == null) {
                if (builder.decodedExtraIfNew(name, value)) {
                    continue;
                }
                return null; // a field twice, refused by the tree path too
            }
            if ((present & field.bit) != 0) {
                return null;
            }
            present |= field.bit;
            expected = field.ordinal() + 1;
            read(field, value, builder);
        }
        // the object ended (nextFieldName saw END_OBJECT; anything else is a parse error)
        if (parser.nextToken() != null || (present & JobField.WORKFLOW_NAME.bit) == 0) {
            return null; // trailing tokens, or no workflow_name
        }
        for (JobField field : JobField.ALL) {
            if ((present & field.bit) == 0) {
                builder.absent(field);
            }
        }
        return builder.build();
    }

    /**
     * The next field name of the job's object, as {@link JsonParser#nextFieldName()}, first
     * matched against the bytes of the known field {@code expected} (the ordinal in {@link
     * JobField#ALL}, or past its end): a document Ergate wrote names its fields in that order, so
     * most names are matched by comparing bytes, without decoding and looking them up. A name
     * that matches is returned as the field's own {@link JobField#json} instance.
     *
     * @return the name, or null at the end of the object
     */
    private static @Nullable String nextName(JsonParser parser, int expected) throws IOException {
        if (expected >= FIELD_NAMES.length) {
            return parser.nextFieldName();
        }
        if (parser.nextFieldName(FIELD_NAMES[expected])) {
            return JobField.ALL[expected].json;
        }
        return parser.currentToken() == JsonToken.FIELD_NAME ? parser.currentName() : null;
    }

    /**
     * One JSON value from the parser's current token, as the tree path builds it (the same node
     * factory and number types), so jobs decoded either way are equal.
     *
     * @throws IllegalArgumentException for a field twice in an object, or a number out of range of a double
     */
    private static JsonNode readValue(JsonParser parser) throws IOException {
        JsonNodeFactory nodes = FiniteNumberNodeFactory.INSTANCE;
        switch (parser.currentToken()) {
            case START_OBJECT -> {
                ObjectNode object = nodes.objectNode();
                for (String name = parser.nextFieldName(); name != null; name = parser.nextFieldName()) {
                    parser.nextToken();
                    if (object.replace(name, readValue(parser)) != null) {
                        throw new IllegalArgumentException("field '" + name + "' twice");
                    }
                }
                return object;
            }
            case START_ARRAY -> {
                ArrayNode array = nodes.arrayNode();
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    array.add(readValue(parser));
                }
                return array;
            }
            case VALUE_STRING -> {
                return nodes.textNode(parser.getText());
            }
            case VALUE_NUMBER_INT -> {
                return switch (parser.getNumberType()) {
                    case INT -> nodes.numberNode(parser.getIntValue());
                    case LONG -> nodes.numberNode(parser.getLongValue());
                    default -> nodes.numberNode(parser.getBigIntegerValue());
                };
            }
            case VALUE_NUMBER_FLOAT -> {
                return nodes.numberNode(parser.getDoubleValue());
            }
            case VALUE_TRUE -> {
                return nodes.booleanNode(true);
            }
            case VALUE_FALSE -> {
                return nodes.booleanNode(false);
            }
            case VALUE_NULL -> {
                return nodes.nullNode();
            }
            default -> throw new IllegalArgumentException("unexpected token " + parser.currentToken());
        }
    }

    private JobFormatException tooLong(long size, String qualifier) {
        return new JobFormatException(null, "document too long: " + qualifier + size
                + " bytes, over the codec's limit of " + maxDocumentBytes
                + " bytes (JobCodec.Builder.maxDocumentBytes); not read", null);
    }

    /**
     * @param tree a job as a Jackson tree (not modified; the job shares its value nodes)
     * @return the job
     * @throws JobFormatException if the tree is not a valid job
     */
    public Job fromTree(JsonNode tree) {
        if (tree == null || !tree.isObject()) {
            throw new JobFormatException(null, "a job must be a JSON object, got "
                    + (tree == null ? "nothing" : describe(tree)), null);
        }
        Job.Builder builder = Job.builder();
        for (JobField field : JobField.ALL) {
            if (!tree.has(field.json)) {
                builder.absent(field);
            }
        }
        if (!tree.has(JobField.WORKFLOW_NAME.json)) {
            throw new JobFormatException("workflow_name", "workflow_name is required, got nothing", null);
        }
        for (Map.Entry<String, JsonNode> entry : tree.properties()) {
            JobField field = JobField.byJsonName(entry.getKey());
            if (field == null) {
                builder.decodedExtra(entry.getKey(), entry.getValue());
            } else {
                read(field, entry.getValue(), builder);
            }
        }
        try {
            return builder.build();
        } catch (IllegalArgumentException e) {
            throw new JobFormatException(null, String.valueOf(e.getMessage()), e);
        }
    }

    private static JsonNode decodeTree(ObjectMapper reader, byte[] json) {
        try {
            JsonNode tree = reader.readTree(json);
            if (tree == null || tree.isMissingNode()) {
                throw new JobFormatException(null, "a job must be a JSON object, got an empty document", null);
            }
            return tree;
        } catch (JobFormatException e) {
            throw e;
        } catch (IOException | RuntimeException | StackOverflowError e) {
            // Any parser failure, whatever its type, is bad input: one exception type for callers.
            throw new JobFormatException(null, "not valid JSON: " + firstLine(e.getMessage()), e);
        }
    }

    private void read(JobField field, JsonNode value, Job.Builder builder) {
        switch (field) {
            case ID -> builder.id(readId(value));
            case WORKFLOW_NAME -> {
                if (!value.isTextual() || value.textValue().isBlank()) {
                    throw bad(field, "must be a non-blank string", value);
                }
                builder.workflowName(value.textValue());
            }
            case STEP_NAME -> builder.stepName(readNullableString(field, value));
            case STATUS -> builder.status(readStatus(value));
            case STEPS_COMPLETED -> builder.stepsCompleted(readCount(value));
            case PERCENT_COMPLETED -> builder.percentCompleted(readPercent(value));
            case INITIAL_INPUT_VALUE, LAST_RETURN_VALUE, USER_CONTEXT -> builder.decoded(field, value);
            case EXCEPTION_TRACEBACK -> builder.exceptionTraceback(readNullableString(field, value));
            case REQUESTED_START_TIME -> builder.requestedStartTime(readTime(value));
        }
    }

    private static @Nullable JobId readId(JsonNode value) {
        if (value.isNull()) {
            return null;
        }
        if (value.isTextual() && !value.textValue().isEmpty()) {
            return JobId.of(value.textValue());
        }
        if (value.isIntegralNumber()) {
            return JobId.of(value.bigIntegerValue());
        }
        throw bad(JobField.ID, "must be a non-empty string, an integer or null", value);
    }

    private static @Nullable String readNullableString(JobField field, JsonNode value) {
        if (value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw bad(field, "must be a string or null", value);
        }
        return value.textValue();
    }

    private JobStatus readStatus(JsonNode value) {
        if (value.isTextual()) {
            return JobStatus.byName(value.textValue())
                    .orElseThrow(() -> bad(JobField.STATUS, "is not a known status name", value));
        }
        if (value.isIntegralNumber()) {
            if (dialect == StatusDialect.NAMES_ONLY) {
                throw bad(JobField.STATUS,
                        "is an integer code; reading codes needs a Python dialect (JobCodec.builder().dialect(...))",
                        value);
            }
            if (!value.canConvertToLong()) {
                throw bad(JobField.STATUS, "is not a status code of dialect " + dialect, value);
            }
            return dialect.status(value.longValue())
                    .orElseThrow(() -> bad(JobField.STATUS, "is not a status code of dialect " + dialect, value));
        }
        throw bad(JobField.STATUS, "must be a status name or an integer code", value);
    }

    private static int readCount(JsonNode value) {
        if (!isWholeNumber(value)) {
            throw bad(JobField.STEPS_COMPLETED, "must be a whole number", value);
        }
        if (value.doubleValue() < 0) {
            throw bad(JobField.STEPS_COMPLETED, "must be >= 0", value);
        }
        if (!value.canConvertToInt() || value.doubleValue() > Integer.MAX_VALUE) {
            throw bad(JobField.STEPS_COMPLETED, "is too large", value);
        }
        return value.intValue();
    }

    private static boolean isWholeNumber(JsonNode value) {
        if (value.isIntegralNumber()) {
            return true;
        }
        // Python's pydantic accepts 3.0 for an int; so do we.
        return value.isFloatingPointNumber() && Double.isFinite(value.doubleValue())
                && value.doubleValue() == Math.rint(value.doubleValue());
    }

    private static double readPercent(JsonNode value) {
        if (!value.isNumber()) {
            throw bad(JobField.PERCENT_COMPLETED, "must be a number", value);
        }
        double percent = value.doubleValue();
        if (!(percent >= 0.0 && percent <= 100.0)) {
            throw bad(JobField.PERCENT_COMPLETED, "must be within 0..100", value);
        }
        return percent;
    }

    private static @Nullable Instant readTime(JsonNode value) {
        if (value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw bad(JobField.REQUESTED_START_TIME, "must be an ISO-8601 time string or null", value);
        }
        String text = value.textValue();
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeException withOffset) {
            try {
                // Python writes naive datetimes without an offset; Ergate reads them as UTC.
                return LocalDateTime.parse(text).toInstant(ZoneOffset.UTC);
            } catch (DateTimeException naive) {
                throw bad(JobField.REQUESTED_START_TIME,
                        "is not an ISO-8601 time (like 2024-06-28T12:00:00Z)", value);
            }
        }
    }

    private static JobFormatException bad(JobField field, String problem, JsonNode value) {
        return new JobFormatException(field.json, field.json + " " + problem + ", got " + describe(value), null);
    }

    /** The offending value for a message: its JSON text, shortened so a 10 MiB value can't flood a log. */
    private static String describe(JsonNode value) {
        String text;
        if (value.getNodeType() == JsonNodeType.OBJECT || value.getNodeType() == JsonNodeType.ARRAY) {
            text = value.getNodeType().name().toLowerCase(java.util.Locale.ROOT) + " " + shorten(value.toString());
        } else {
            text = shorten(value.toString());
        }
        return text;
    }

    private static String shorten(String text) {
        return text.length() <= SHOWN_VALUE_CHARS
                ? text
                : text.substring(0, SHOWN_VALUE_CHARS) + "... (" + text.length() + " chars)";
    }

    private static String firstLine(@Nullable String message) {
        if (message == null) {
            return "unreadable";
        }
        int newline = message.indexOf('\n');
        return shorten(newline < 0 ? message : message.substring(0, newline));
    }

    /**
     * Refuses numbers a double can't hold (like {@code 1e309}): read as infinity they could not
     * be written back as JSON, so the round trip would silently change the value.
     */
    private static final class FiniteNumberNodeFactory extends JsonNodeFactory {
        private static final long serialVersionUID = 1L;
        static final FiniteNumberNodeFactory INSTANCE = new FiniteNumberNodeFactory();

        @Override
        public NumericNode numberNode(double value) {
            if (!Double.isFinite(value)) {
                throw new IllegalArgumentException("number out of range of a double: " + value);
            }
            return super.numberNode(value);
        }

        @Override
        public NumericNode numberNode(float value) {
            return numberNode((double) value);
        }
    }

    /** Configures a {@link JobCodec}. Not thread-safe. */
    public static final class Builder {

        private StatusDialect dialect = StatusDialect.NAMES_ONLY;
        private @Nullable Boolean writeStatusCodes; // null: codes exactly when the dialect is a Python one
        private long maxDocumentBytes = DEFAULT_MAX_DOCUMENT_BYTES;

        private Builder() {
        }

        /**
         * @param maxDocumentBytes the longest document, in bytes of UTF-8, that {@code decode}
         *     reads (default {@value JobCodec#DEFAULT_MAX_DOCUMENT_BYTES}); keep it at least as
         *     high as the {@code maxJobBytes} of every queue and store the codec serves, or their
         *     largest jobs can't be read back
         * @return this builder
         * @throws IllegalArgumentException if not positive
         */
        public Builder maxDocumentBytes(long maxDocumentBytes) {
            if (maxDocumentBytes <= 0) {
                throw new IllegalArgumentException("maxDocumentBytes must be positive, got " + maxDocumentBytes);
            }
            this.maxDocumentBytes = maxDocumentBytes;
            return this;
        }

        /**
         * @param dialect how integer status codes are read; a Python dialect also writes them,
         *     so Python Ergate reads what Java writes (unless {@link #writeStatusCodes} says no)
         * @return this builder
         */
        public Builder dialect(StatusDialect dialect) {
            this.dialect = Objects.requireNonNull(dialect, "dialect");
            return this;
        }

        /**
         * @param writeStatusCodes write the dialect's integer codes instead of names; by default
         *     true with a Python dialect (Python Ergate reads only integers), false without one
         * @return this builder
         */
        public Builder writeStatusCodes(boolean writeStatusCodes) {
            this.writeStatusCodes = writeStatusCodes;
            return this;
        }

        /**
         * @return the codec
         * @throws IllegalStateException if status codes are to be written without a Python dialect
         */
        public JobCodec build() {
            if (Boolean.TRUE.equals(writeStatusCodes) && dialect == StatusDialect.NAMES_ONLY) {
                throw new IllegalStateException("writing status codes needs a Python dialect");
            }
            return new JobCodec(this);
        }
    }
}
