/* wasm-streak: the built-in `streak` kind, ported to an attune.kind/1 WebAssembly plugin.
 *
 * No libc and no imports: a WebAssembly plugin may import nothing (docs/plugins.md). Build with
 * build.sh (the Swift toolchain's own clang targeting wasm32).
 *
 * ABI: attune_alloc(size) returns room for the request; attune_call(pointer, length) reads it
 * and returns (response pointer << 32) | response length. Every attune_alloc starts a new call,
 * so the bump heap is reset there.
 *
 * The kind declares `batch: true` and `record_layout: binary`: an evaluate request holds up to
 * 1024 timelines, whose records come as a table of fixed-size rows after a small JSON header
 * (docs/plugins.md), read in place: no text is parsed per record.
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

/* ---- input: just enough JSON to read the request's header ---- */

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

/* ---- the kind ---- */

static const char declaration[] =
    "{\"protocol\":\"attune.kind/1\",\"kinds\":[{"
    "\"name\":\"wasm-streak\","
    "\"summary\":\"L consecutive records match; closes when a record breaks the run (the built-in streak, as a WebAssembly plugin).\","
    "\"details\":\"Opens at the length-th consecutive matching record and closes at the first record after it that does not match; its evidence is the run.\","
    "\"scope\":\"timeline\","
    "\"reads\":[\"date\"],"
    "\"batch\":true,"
    "\"record_layout\":\"binary\","
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
static int opened; /* the day number the open finding opened on, when has_opened */
static int has_opened;

/* Rows are 4-byte aligned (the table starts at a multiple of 8, each count and field is 4 or 8
 * bytes), but say so to the compiler rather than promise more. */
typedef u32 __attribute__((aligned(1))) u32_unaligned;

static u32 load(const unsigned char *at) { return *(const u32_unaligned *)at; }

/* The branches taken in this timeline, reported when Attune counts them (`attune test
 * --coverage` sends "coverage": true); a review does not, and the answer stays short. */
enum { OPENS = 1, FALLS_SHORT = 2, CLOSES = 4 };
static u32 taken;
static int counts_branches;

static void put_branches(void) {
    static const char *const names[] = {"opens", "falls short", "closes"};
    int first = 1;
    puts_(findings ? ",\"branches\":[" : "\"branches\":[");
    for (u32 i = 0; i < 3; i++) {
        if (!(taken & (1u << i))) continue;
        puts_(first ? "\"" : ",\"");
        puts_(names[i]);
        put("\"", 1);
        first = 0;
    }
    put("]", 1);
}

static void put_digits(u32 value, int width) {
    char digits[10];
    for (int i = width - 1; i >= 0; i--) { digits[i] = (char)('0' + value % 10); value /= 10; }
    put(digits, (u32)width);
}

/* A day number (days since 1970-01-01) as "YYYY-MM-DD" (the civil-from-days algorithm). */
static void put_day(int day) {
    int z = day + 719468;
    int era = (z >= 0 ? z : z - 146096) / 146097;
    u32 of_era = (u32)(z - era * 146097);
    u32 year_of_era = (of_era - of_era / 1460 + of_era / 36524 - of_era / 146096) / 365;
    int year = (int)year_of_era + era * 400;
    u32 of_year = of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    u32 shifted_month = (5 * of_year + 2) / 153;
    u32 month_day = of_year - (153 * shifted_month + 2) / 5 + 1;
    u32 month = shifted_month < 10 ? shifted_month + 3 : shifted_month - 9;
    if (month <= 2) year++;
    put("\"", 1);
    put_digits((u32)year, 4);
    put("-", 1);
    put_digits(month, 2);
    put("-", 1);
    put_digits(month_day, 2);
    put("\"", 1);
}

static void finish(int closed, int has_closed) {
    if (!has_opened) return;
    puts_(findings++ ? ",{\"opened\":" : "\"findings\":[{\"opened\":");
    put_day(opened);
    puts_(",\"closed\":");
    if (has_closed) put_day(closed); else puts_("null");
    puts_(",\"evidence\":[");
    for (u32 i = 0; i < run_length; i++) { if (i) put(",", 1); put_int(run[i]); }
    puts_("],\"values\":{\"length\":");
    put_int(length_param);
    puts_(",\"count\":");
    put_int(run_length);
    puts_("}}");
    has_opened = 0;
}

/* One timeline's rows: each extends the run of matching records or breaks it (closing a
 * finding that was open). Its answer leaves out what is empty: a quiet timeline is `{}`.
 * The run's state lives in locals while the rows are read (globals are memory the
 * interpreter loads and stores); `finish` sees it through the globals. Returns where the next
 * timeline starts. */
static const unsigned char *evaluate_timeline(const unsigned char *rows, u32 count, u32 row_bytes) {
    u32 length = run_length = 0, flags = 0, need = (u32)length_param;
    u32 *at = run;
    int open = 0;
    findings = 0; has_opened = 0;
    put("{", 1);
    const unsigned char *end = rows + count * row_bytes, *bits = rows + row_bytes - 4;
    for (; rows < end; rows += row_bytes, bits += row_bytes) {
        if (load(bits) & 1u) {                         /* expressions: match is bit 0 */
            at[length++] = load(rows);                 /* the record's index */
            if (!open && length >= need) { open = 1; opened = (int)load(rows + 4); flags |= OPENS; }
        } else if (open) {
            flags |= CLOSES;
            run_length = length; has_opened = 1;
            finish((int)load(rows + 4), 1);            /* reads: [date], the first field */
            open = 0; length = 0;
        } else if (length) {
            flags |= FALLS_SHORT;
            length = 0;
        }
    }
    run_length = length; has_opened = open; taken = flags;
    finish(0, 0);
    if (findings) put("]", 1);
    if (counts_branches && taken) put_branches();
    put("}", 1);
    return rows;
}

static u64 answer(void) { return ((u64)(u32)out << 32) | out_length; }

static u64 error(const char *why) {
    out_length = 0;
    puts_("{\"error\":\"");
    puts_(why);
    puts_("\"}");
    return answer();
}

__attribute__((export_name("attune_call"))) u64 attune_call(const unsigned char *request, u32 length) {
    in = request;
    in_end = request + length;
    out = 0; out_length = 0; out_capacity = 0;
    int evaluate = 0;
    long long timelines = -1, row_bytes = 0;
    counts_branches = 0;
    if (!take_char('{')) return error("the request is not a JSON object");
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
        } else if (is(key, key_length, "timelines")) timelines = integer();
        else if (is(key, key_length, "record_bytes")) row_bytes = integer();
        else if (is(key, key_length, "coverage")) { ws(); counts_branches = in < in_end && *in == 't'; skip(); }
        else skip();
        take_char(',');
    }
    if (!evaluate) { puts_(declaration); return answer(); }
    if (timelines < 0 || row_bytes < 12) return error("expected a binary evaluate request (timelines, record_bytes)");
    /* The table starts after the header's zero byte, at the next multiple of 8. */
    while (in < in_end && *in) in++;
    u32 table = ((u32)(in - request) + 1u + 7u) & ~7u;
    const unsigned char *at = request + table, *end = request + length;
    run = take(length);  /* never more records than bytes */
    puts_("{\"results\":[");
    for (long long t = 0; t < timelines; t++) {
        if (at + 4 > end) return error("the record table ends early");
        u32 count = load(at);
        at += 4;
        if ((u64)count * (u64)row_bytes > (u64)(end - at)) return error("the record table ends early");
        if (t) put(",", 1);
        at = evaluate_timeline(at, count, (u32)row_bytes);
    }
    puts_("]}");
    return answer();
}
