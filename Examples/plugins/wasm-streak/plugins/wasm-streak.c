/* wasm-streak: the built-in `streak` kind, ported to an attune.kind/1 WebAssembly plugin.
 *
 * No libc and no imports: a WebAssembly plugin may import nothing (docs/plugins.md). Build with
 * build.sh (the Swift toolchain's own clang targeting wasm32).
 *
 * ABI: attune_alloc(size) returns room for the request; attune_call(pointer, length) reads it
 * and returns (response pointer << 32) | response length. Every attune_alloc starts a new call,
 * so the bump heap is reset there.
 */

typedef unsigned int u32;
typedef unsigned long long u64;

extern unsigned char __heap_base;

static u32 heap_top;

static void *take(u32 size) {
    u32 start = (heap_top + 7u) & ~7u;
    u32 end = start + size;
    u32 have = (u32)__builtin_wasm_memory_size(0) * 65536u;
    if (end > have) {
        if (__builtin_wasm_memory_grow(0, (end - have + 65535u) / 65536u) == (unsigned long)-1) __builtin_trap();
    }
    heap_top = end;
    return (void *)start;
}

__attribute__((export_name("attune_alloc"))) u32 attune_alloc(u32 size) {
    heap_top = (u32)&__heap_base;
    return (u32)take(size);
}

/* ---- output ---- */

static unsigned char *out;
static u32 out_length, out_capacity;

static void put(const char *text, u32 length) {
    if (out_length + length > out_capacity) {
        u32 capacity = (out_capacity + length) * 2;
        unsigned char *bigger = take(capacity);
        for (u32 i = 0; i < out_length; i++) bigger[i] = out[i];
        out = bigger;
        out_capacity = capacity;
    }
    for (u32 i = 0; i < length; i++) out[out_length + i] = (unsigned char)text[i];
    out_length += length;
}

static void puts_(const char *text) {
    u32 length = 0;
    while (text[length]) length++;
    put(text, length);
}

static void put_int(long long value) {
    char digits[24];
    int n = 0;
    if (value < 0) { put("-", 1); value = -value; }
    do { digits[n++] = (char)('0' + value % 10); value /= 10; } while (value);
    while (n) put(&digits[--n], 1);
}

/* ---- input: just enough JSON to walk the evaluate request ---- */

static const unsigned char *in, *in_end;

static void ws(void) { while (in < in_end && (*in == ' ' || *in == '\n' || *in == '\r' || *in == '\t')) in++; }

static int take_char(unsigned char c) {
    ws();
    if (in < in_end && *in == c) { in++; return 1; }
    return 0;
}

/* A string's raw bytes (escapes left as they are: keys and dates have none). */
static int string(const unsigned char **start, u32 *length) {
    if (!take_char('"')) return 0;
    *start = in;
    while (in < in_end && *in != '"') { if (*in == '\\') in++; in++; }
    if (in >= in_end) return 0;
    *length = (u32)(in - *start);
    in++;
    return 1;
}

static int is(const unsigned char *text, u32 length, const char *word) {
    u32 i = 0;
    for (; i < length; i++) if (word[i] != (char)text[i]) return 0;
    return word[i] == 0;
}

static void skip(void) {
    ws();
    if (in >= in_end) return;
    if (*in == '"') { const unsigned char *s; u32 n; string(&s, &n); return; }
    if (*in == '{' || *in == '[') {
        int depth = 0;
        while (in < in_end) {
            if (*in == '"') { const unsigned char *s; u32 n; string(&s, &n); continue; }
            if (*in == '{' || *in == '[') depth++;
            if (*in == '}' || *in == ']') { depth--; if (depth == 0) { in++; return; } }
            in++;
        }
        return;
    }
    while (in < in_end && *in != ',' && *in != '}' && *in != ']') in++;
}

static long long integer(void) {
    long long value = 0;
    int negative = 0;
    ws();
    if (in < in_end && *in == '-') { negative = 1; in++; }
    while (in < in_end && *in >= '0' && *in <= '9') value = value * 10 + (*in++ - '0');
    while (in < in_end && (*in == '.' || (*in >= '0' && *in <= '9'))) in++;
    return negative ? -value : value;
}

/* Steps over `text` if the input continues with it exactly. */
static int literal(const char *text) {
    const unsigned char *at = in;
    for (; *text; text++, at++) if (at >= in_end || *at != (unsigned char)*text) return 0;
    in = at;
    return 1;
}

static int boolean(void) {
    ws();
    int value = in < in_end && *in == 't';
    skip();
    return value;
}

/* ---- the kind ---- */

static const char declaration[] =
    "{\"protocol\":\"attune.kind/1\",\"kinds\":[{"
    "\"name\":\"wasm-streak\","
    "\"summary\":\"L consecutive records match; closes when a record breaks the run (the built-in streak, as a WebAssembly plugin).\","
    "\"details\":\"Opens at the length-th consecutive matching record and closes at the first record after it that does not match; its evidence is the run.\","
    "\"scope\":\"timeline\","
    "\"reads\":[\"date\"],"
    "\"params\":[{\"name\":\"length\",\"type\":\"integer\",\"min\":1,\"max\":1000,\"doc\":\"How many consecutive matching records open the finding (L)\"}],"
    "\"expressions\":[{\"name\":\"match\",\"required\":true,\"doc\":\"The condition the kind looks for in each record\"}],"
    "\"placeholders\":[{\"name\":\"length\",\"doc\":\"the param length\"},{\"name\":\"count\",\"doc\":\"how many consecutive records have matched\"}],"
    "\"branches\":[{\"name\":\"opens\",\"doc\":\"a run of matching records reaches the length\",\"param\":\"length\"},"
    "{\"name\":\"falls short\",\"doc\":\"a run of matching records ends before the length\",\"param\":\"length\"},"
    "{\"name\":\"closes\",\"doc\":\"an open run ends on a record that does not match\"}],"
    "\"examples\":[{\"name\":\"opens at the second in a row and closes at the first break\","
    "\"rule\":\"match: attendance == 'no-show'\\nparams: {length: 2}\","
    "\"records\":\"- {date: 2026-01-05, attendance: attended}\\n- {date: 2026-01-12, attendance: no-show}\\n- {date: 2026-01-19, attendance: no-show}\\n- {date: 2026-01-26, attendance: no-show}\\n- {date: 2026-02-02, attendance: attended}\\n\","
    "\"expect\":[{\"opened\":\"2026-01-19\",\"closed\":\"2026-02-02\"}]},"
    "{\"name\":\"a broken run is a near miss\","
    "\"rule\":\"match: attendance == 'no-show'\\nparams: {length: 2}\","
    "\"records\":\"- {date: 2026-01-05, attendance: no-show}\\n- {date: 2026-01-12, attendance: attended}\\n- {date: 2026-01-19, attendance: no-show}\\n\","
    "\"expect\":[]}]"
    "}]}";

static long long length_param = 1;
static u32 *run;
static u32 run_length, findings;
static const unsigned char *opened;

/* The branches taken in this call, reported for `attune test --coverage`. */
enum { OPENS = 1, FALLS_SHORT = 2, CLOSES = 4 };
static u32 taken;

static void put_branches(void) {
    static const char *const names[] = {"opens", "falls short", "closes"};
    int first = 1;
    puts_("],\"branches\":[");
    for (u32 i = 0; i < 3; i++) {
        if (!(taken & (1u << i))) continue;
        puts_(first ? "\"" : ",\"");
        puts_(names[i]);
        put("\"", 1);
        first = 0;
    }
}

static void finish(const unsigned char *closed) {
    if (!opened) return;
    puts_(findings++ ? ",{\"opened\":\"" : "{\"opened\":\"");
    put((const char *)opened, 10);
    if (closed) { puts_("\",\"closed\":\""); put((const char *)closed, 10); puts_("\""); }
    else puts_("\",\"closed\":null");
    puts_(",\"evidence\":[");
    for (u32 i = 0; i < run_length; i++) { if (i) put(",", 1); put_int(run[i]); }
    puts_("],\"values\":{\"length\":");
    put_int(length_param);
    puts_(",\"count\":");
    put_int(run_length);
    puts_("}}");
    opened = 0;
}

/* One record of the run: extends it, or breaks it (closing a finding that was open). */
static void step(long long index, const unsigned char *date, int match) {
    if (match) {
        run[run_length++] = (u32)index;
        if (!opened && run_length >= length_param) { opened = date; taken |= OPENS; }
    } else {
        if (opened) taken |= CLOSES;
        else if (run_length) taken |= FALLS_SHORT;
        finish(date);
        run_length = 0;
    }
}

static void record(void) {
    const unsigned char *start = in;
    /* Fast path: the layout Attune writes for this kind, which reads only the date
     * ({"index":3,"date":"2026-01-05","expressions":{"match":true}}). Anything else, such as
     * other spacing or key order, is read key by key below. */
    if (literal("{\"index\":")) {
        long long index = integer();
        if (literal(",\"date\":\"") && in + 11 <= in_end && in[10] == '"') {
            const unsigned char *date = in;
            in += 11;
            if (literal(",\"expressions\":{\"match\":")) {
                int match = boolean();
                if (literal("}}")) { step(index, date, match); return; }
            }
        }
        in = start;
    }
    long long index = -1;
    const unsigned char *date = 0;
    u32 date_length = 0;
    int match = 0;
    if (!take_char('{')) return;
    while (!take_char('}') && in < in_end) {
        const unsigned char *key; u32 key_length;
        if (!string(&key, &key_length) || !take_char(':')) { in = in_end; return; }
        if (is(key, key_length, "index")) index = integer();
        else if (is(key, key_length, "date")) string(&date, &date_length);
        else if (is(key, key_length, "expressions")) {
            take_char('{');
            while (!take_char('}') && in < in_end) {
                const unsigned char *name; u32 name_length;
                if (!string(&name, &name_length) || !take_char(':')) { in = in_end; return; }
                if (is(name, name_length, "match")) match = boolean(); else skip();
                take_char(',');
            }
        } else skip();
        take_char(',');
    }
    if (date_length != 10) return;
    step(index, date, match);
}

/* Walks the records array (at `in`), writing the findings and the branches taken. */
static void evaluate_records(u32 length) {
    run = take(length);  /* never more records than bytes */
    run_length = 0; findings = 0; opened = 0; taken = 0;
    puts_("{\"findings\":[");
    take_char('[');
    while (!take_char(']') && in < in_end) {
        record();
        take_char(',');
    }
    finish(0);
    put_branches();
    puts_("]}");
}

static u64 answer(void) { return ((u64)(u32)out << 32) | out_length; }

__attribute__((export_name("attune_call"))) u64 attune_call(const unsigned char *request, u32 length) {
    in = request;
    in_end = request + length;
    out = 0; out_length = 0; out_capacity = 0;
    int evaluate = 0, params = 0, done = 0;
    const unsigned char *records = 0;
    if (!take_char('{')) { puts_("{\"error\":\"the request is not a JSON object\"}"); return answer(); }
    while (!take_char('}') && in < in_end) {
        const unsigned char *key; u32 key_length;
        if (!string(&key, &key_length) || !take_char(':')) break;
        if (is(key, key_length, "type")) {
            const unsigned char *type; u32 type_length;
            string(&type, &type_length);
            evaluate = is(type, type_length, "evaluate");
        } else if (is(key, key_length, "params")) {
            take_char('{');
            while (!take_char('}') && in < in_end) {
                const unsigned char *name; u32 name_length;
                if (!string(&name, &name_length) || !take_char(':')) break;
                if (is(name, name_length, "length")) length_param = integer(); else skip();
                take_char(',');
            }
            params = 1;
        } else if (is(key, key_length, "records")) {
            ws();
            /* Attune sends type and params first: then the records are read once, in place. */
            if (evaluate && params) { evaluate_records(length); done = 1; }
            else { records = in; skip(); }
        } else skip();
        take_char(',');
    }
    if (!evaluate) { puts_(declaration); return answer(); }
    if (done) return answer();
    if (!records) { puts_("{\"error\":\"an evaluate request needs records\"}"); return answer(); }
    in = records;
    evaluate_records(length);
    return answer();
}
