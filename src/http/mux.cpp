// http.ServeMux with Go 1.22's patterns, and http.Error / http.NotFound.
//
// Registration (Go's pattern.go) parses "[METHOD ][HOST]/[PATH]" into a
// method, a host and path segments: literals, {name}, {name...}, and two that
// Go spells differently underneath: a trailing "/" is a nameless {...} (the
// subtree) and a final "{$}" a segment that matches only a trailing slash.
// The new pattern is compared with every registered one: two with the same
// host conflict (panic) when their method-and-path relationship is
// "equivalent" or "overlaps", the relationship being combined segment by
// segment and with the methods' (a literal is more specific than {x}, which
// is more specific than {x...}; GET is more general than HEAD, a method more
// specific than none). The pattern then goes into a tree (Go's
// routing_tree.go): host, then method, then one level per segment.
//
// Dispatch (Go's ServeMux.findHandler) cleans the path (path.Clean, keeping a
// trailing slash) and strips the port from the host; it looks for patterns
// with the request's host first, then host-less ones; under each, the
// request's method, then GET for a HEAD, then method-less patterns; down the
// path it tries the literal child first, then {x}, then {x...}, backtracking
// on failure. Because no two registered patterns conflict, the first match
// found this way is the most specific one. Then, in Go's order: a path that
// only a trailing slash would match exactly redirects there (301), an
// unclean path redirects to its clean form (301), a match runs its handler
// with the path values set, a path that other methods match answers 405 with
// Allow, anything else 404.
//
// Matching works on r.url.path, which is already decoded, where Go 1.22
// splits the escaped path and decodes each segment; the two differ only for
// an escaped "/" ("%2F") inside a segment, which here splits the segment.
#include <gocxx/http/http.hpp>

#include <algorithm>
#include <cctype>
#include <optional>
#include <set>

#include <gocxx/panic.hpp>
#include <gocxx/sync/mutex.hpp>

namespace gocxx::http {

// ---- Error, NotFound --------------------------------------------------------

void error(ResponseWriter& w, std::string_view message, int code) {
    w.header().set("Content-Type", "text/plain; charset=utf-8");
    w.header().set("X-Content-Type-Options", "nosniff");
    w.write_header(code);
    w.write(std::string(message) + "\n");
}

void not_found(ResponseWriter& w, Request&) { error(w, "404 page not found", StatusNotFound); }

namespace {

constexpr auto npos = std::string_view::npos;

// ---- strings ------------------------------------------------------------------

// Go's %q (strconv.Quote) for the ASCII range; other bytes pass through as
// the UTF-8 they are taken to be.
std::string quote(std::string_view s) {
    static const char hex[] = "0123456789abcdef";
    std::string q = "\"";
    for (char c : s) {
        const auto u = static_cast<unsigned char>(c);
        switch (c) {
            case '"': q += "\\\""; break;
            case '\\': q += "\\\\"; break;
            case '\a': q += "\\a"; break;
            case '\b': q += "\\b"; break;
            case '\f': q += "\\f"; break;
            case '\n': q += "\\n"; break;
            case '\r': q += "\\r"; break;
            case '\t': q += "\\t"; break;
            case '\v': q += "\\v"; break;
            default:
                if (u < 0x20 || u == 0x7f) {
                    q += "\\x";
                    q += hex[u >> 4];
                    q += hex[u & 15];
                } else {
                    q += c;
                }
        }
    }
    return q + "\"";
}

int hexval(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

// url.PathUnescape, or s itself where an escape is malformed (Go's
// pathUnescape in pattern.go).
std::string path_unescape(std::string_view s) {
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] != '%') {
            out += s[i];
            continue;
        }
        if (i + 2 >= s.size() || hexval(s[i + 1]) < 0 || hexval(s[i + 2]) < 0) return std::string(s);
        out += static_cast<char>(hexval(s[i + 1]) * 16 + hexval(s[i + 2]));
        i += 2;
    }
    return out;
}

// url.URL's EscapedPath for a URL without RawPath: Go's escape(path,
// encodePath), which leaves letters, digits, "-_.~" and "$&+,/:;=@" alone.
std::string escape_path(std::string_view p) {
    static const char hex[] = "0123456789ABCDEF";
    std::string out;
    for (char c : p) {
        const auto u = static_cast<unsigned char>(c);
        if (u < 0x80 && std::isalnum(u)) {
            out += c;
        } else if (std::string_view("-_.~$&+,/:;=@").find(c) != npos) {
            out += c;
        } else {
            out += '%';
            out += hex[u >> 4];
            out += hex[u & 15];
        }
    }
    return out;
}

// Go's htmlEscape (for the body of a redirect).
std::string html_escape(std::string_view s) {
    std::string out;
    for (char c : s) {
        switch (c) {
            case '&': out += "&amp;"; break;
            case '\'': out += "&#39;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&#34;"; break;
            default: out += c;
        }
    }
    return out;
}

// Go's cleanPath: "/" prefixed, then path.Clean (one slash for several, no
// "." elements, a ".." removing the name before it, none left at the root),
// then the trailing slash put back.
std::string clean_path(std::string_view p) {
    std::vector<std::string_view> parts;
    for (std::size_t i = 0; i < p.size();) {
        const std::size_t j = std::min(p.find('/', i), p.size());
        const std::string_view e = p.substr(i, j - i);
        if (e == "..") {
            if (!parts.empty()) parts.pop_back();
        } else if (!e.empty() && e != ".") {
            parts.push_back(e);
        }
        i = j + 1;
    }
    std::string np;
    for (std::string_view e : parts) {
        np += '/';
        np += e;
    }
    if (np.empty() || (!p.empty() && p.back() == '/')) np += '/';
    return np;
}

// Go's stripHostPort: the host without its port; h itself when it has no
// port or net.SplitHostPort rejects it.
std::string strip_host_port(const std::string& h) {
    const std::size_t colon = h.rfind(':');
    if (colon == std::string::npos) return h;
    if (h[0] == '[') {
        const std::size_t end = h.find(']');
        if (end == std::string::npos || end + 1 != colon || h.find('[', 1) != std::string::npos ||
            h.find(']', end + 1) != std::string::npos)
            return h;
        return h.substr(1, end - 1);
    }
    const std::string host = h.substr(0, colon);
    if (host.find(':') != std::string::npos || h.find_first_of("[]") != std::string::npos) return h;
    return host;
}

// ---- patterns ---------------------------------------------------------------

enum class Kind {
    literal,  // s, decoded
    dollar,   // a final "{$}": only the trailing slash
    wild,     // {s}: one segment
    multi,    // {s...}, or (s empty) a trailing "/": the rest of the path
};

struct Segment {
    Kind kind;
    std::string s;
};

struct Pattern {
    std::string str;  // as registered
    std::string method, host;
    std::vector<Segment> segments;  // never empty ("/" is a nameless multi)
};

bool is_token(std::string_view s) {
    if (s.empty()) return false;
    for (char c : s)
        if (!std::isalnum(static_cast<unsigned char>(c)) && std::string_view("!#$%&'*+-.^_`|~").find(c) == npos)
            return false;
    return true;
}

// A Go identifier. Bytes past ASCII count as letters (Go asks Unicode).
bool is_identifier(std::string_view s) {
    for (std::size_t i = 0; i < s.size(); ++i) {
        const auto u = static_cast<unsigned char>(s[i]);
        const bool letter = std::isalpha(u) || u == '_' || u >= 0x80;
        if (!letter && (i == 0 || !std::isdigit(u))) return false;
    }
    return !s.empty();
}

// Go's parsePattern; a bad pattern panics as ServeMux.Handle does:
// `parsing "PATTERN": at offset N: WHY`.
Pattern parse_pattern(std::string_view s) {
    std::size_t off = 0;
    auto fail = [&](const std::string& why) {
        return Panic("parsing " + quote(s) + ": at offset " + std::to_string(off) + ": " + why);
    };
    Pattern p;
    p.str = std::string(s);
    std::string_view rest = s;
    if (const std::size_t sp = s.find(' '); sp != npos) {
        p.method = std::string(s.substr(0, sp));
        rest = s.substr(sp + 1);
        if (!p.method.empty() && !is_token(p.method)) throw fail("invalid method " + quote(p.method));
        off = sp + 1;
    }
    const std::size_t slash = rest.find('/');
    if (slash == npos) throw fail("host/path missing /");
    p.host = std::string(rest.substr(0, slash));
    if (const std::size_t brace = p.host.find('{'); brace != std::string::npos) {
        off += brace;
        throw fail("host contains '{' (missing initial '/'?)");
    }
    off += slash;
    rest.remove_prefix(slash);
    // Paths are cleaned before matching (CONNECT's excepted).
    if (!p.method.empty() && p.method != "CONNECT" && rest != clean_path(rest))
        throw fail("non-CONNECT pattern with unclean path can never match");
    std::set<std::string, std::less<>> seen;
    while (!rest.empty()) {
        rest.remove_prefix(1);  // the '/'
        off = s.size() - rest.size();
        if (rest.empty()) {
            p.segments.push_back({Kind::multi, ""});
            break;
        }
        const std::size_t end = std::min(rest.find('/'), rest.size());
        const std::string_view seg = rest.substr(0, end);
        rest.remove_prefix(end);
        const std::size_t brace = seg.find('{');
        if (brace == npos) {
            p.segments.push_back({Kind::literal, path_unescape(seg)});
            continue;
        }
        if (brace != 0) throw fail("bad wildcard segment (must start with '{')");
        if (seg.back() != '}') throw fail("bad wildcard segment (must end with '}')");
        std::string_view name = seg.substr(1, seg.size() - 2);
        if (name == "$") {
            if (!rest.empty()) throw fail("{$} not at end");
            p.segments.push_back({Kind::dollar, ""});
            break;
        }
        const bool multi = name.ends_with("...");
        if (multi) {
            name.remove_suffix(3);
            if (!rest.empty()) throw fail("{...} wildcard not at end");
        }
        if (name.empty()) throw fail("empty wildcard");
        if (!is_identifier(name)) throw fail("bad wildcard name " + quote(name));
        if (!seen.emplace(name).second) throw fail("duplicate wildcard name " + quote(name));
        p.segments.push_back({multi ? Kind::multi : Kind::wild, std::string(name)});
    }
    return p;
}

// How the requests p1 matches relate to those p2 matches.
enum class Rel {
    equivalent,     // the same requests
    more_general,   // all of p2's and more
    more_specific,  // a strict subset of p2's
    disjoint,       // none in common
    overlaps,       // some in common, neither a subset of the other
};

Rel inverse(Rel r) {
    if (r == Rel::more_general) return Rel::more_specific;
    if (r == Rel::more_specific) return Rel::more_general;
    return r;
}

// The relationship of two patterns from those of two parts that partition them.
Rel combine(Rel r1, Rel r2) {
    switch (r1) {
        case Rel::equivalent: return r2;
        case Rel::disjoint: return Rel::disjoint;
        case Rel::overlaps: return r2 == Rel::disjoint ? Rel::disjoint : Rel::overlaps;
        default:
            if (r2 == Rel::equivalent) return r1;
            if (r2 == inverse(r1)) return Rel::overlaps;
            return r2;
    }
}

// None matches every method, GET matches GET and HEAD, others themselves.
Rel compare_methods(const Pattern& p1, const Pattern& p2) {
    if (p1.method == p2.method) return Rel::equivalent;
    if (p1.method.empty()) return Rel::more_general;
    if (p2.method.empty()) return Rel::more_specific;
    if (p1.method == "GET" && p2.method == "HEAD") return Rel::more_general;
    if (p1.method == "HEAD" && p2.method == "GET") return Rel::more_specific;
    return Rel::disjoint;
}

Rel compare_segments(const Segment& s1, const Segment& s2) {
    const bool m1 = s1.kind == Kind::multi, m2 = s2.kind == Kind::multi;
    if (m1 || m2) return m1 && m2 ? Rel::equivalent : m1 ? Rel::more_general : Rel::more_specific;
    if (s1.kind == Kind::wild && s2.kind == Kind::wild) return Rel::equivalent;
    // {x} matches any literal segment, never the trailing slash.
    if (s1.kind == Kind::wild) return s2.kind == Kind::dollar ? Rel::disjoint : Rel::more_general;
    if (s2.kind == Kind::wild) return s1.kind == Kind::dollar ? Rel::disjoint : Rel::more_specific;
    return s1.kind == s2.kind && s1.s == s2.s ? Rel::equivalent : Rel::disjoint;
}

Rel compare_paths(const Pattern& p1, const Pattern& p2) {
    const auto& a = p1.segments;
    const auto& b = p2.segments;
    const bool multi1 = a.back().kind == Kind::multi, multi2 = b.back().kind == Kind::multi;
    Rel rel = Rel::equivalent;
    const std::size_t n = std::min(a.size(), b.size());
    for (std::size_t i = 0; i < n && rel != Rel::disjoint; ++i) rel = combine(rel, compare_segments(a[i], b[i]));
    if (rel == Rel::disjoint || a.size() == b.size()) return rel;
    // The shorter one can only match the longer's rest with its final multi.
    if (a.size() < b.size()) return multi1 ? combine(rel, Rel::more_general) : Rel::disjoint;
    return multi2 ? combine(rel, Rel::more_specific) : Rel::disjoint;
}

Rel compare_paths_and_methods(const Pattern& p1, const Pattern& p2) {
    const Rel m = compare_methods(p1, p2);
    return m == Rel::disjoint ? m : combine(m, compare_paths(p1, p2));
}

// A pattern with a host beats one without; different hosts never meet.
bool conflicts(const Pattern& p1, const Pattern& p2) {
    if (p1.host != p2.host) return false;
    const Rel r = compare_paths_and_methods(p1, p2);
    return r == Rel::equivalent || r == Rel::overlaps;
}

// "/" then what the segment names (nothing for a multi or a "{$}").
void write_segment(std::string& b, const Segment& s) {
    b += '/';
    if (s.kind == Kind::literal || s.kind == Kind::wild) b += s.s;
}

void write_rest(std::string& b, const std::vector<Segment>& segs, std::size_t from) {
    for (std::size_t i = from; i < segs.size(); ++i) write_segment(b, segs[i]);
}

// A path that both of two overlapping patterns match.
std::string common_path(const Pattern& p1, const Pattern& p2) {
    std::string b;
    const std::size_t n = std::min(p1.segments.size(), p2.segments.size());
    for (std::size_t i = 0; i < n; ++i) {
        const Segment& s1 = p1.segments[i];
        write_segment(b, s1.kind == Kind::wild || s1.kind == Kind::multi ? p2.segments[i] : s1);
    }
    write_rest(b, p1.segments, n);
    write_rest(b, p2.segments, n);
    return b;
}

// A path that p1 matches and p2 does not, for two overlapping patterns.
std::string difference_path(const Pattern& p1, const Pattern& p2) {
    std::string b;
    const std::size_t n = std::min(p1.segments.size(), p2.segments.size());
    for (std::size_t i = 0; i < n; ++i) {
        const Segment& s1 = p1.segments[i];
        const Segment& s2 = p2.segments[i];
        if (s1.kind == Kind::multi) {
            // A trailing slash tells them apart, or, against a "{$}", any segment.
            b += '/';
            if (s2.kind == Kind::dollar) b += s1.s.empty() ? "x" : s1.s;
            return b;
        }
        if (s1.kind == Kind::wild && s2.kind == Kind::literal && s1.s == s2.s)
            b += "/" + s2.s + "x";  // the wildcard's name would be the literal
        else
            write_segment(b, s1);
    }
    write_rest(b, p1.segments, n);
    write_rest(b, p2.segments, n);
    return b;
}

// Go's describeConflict, for two conflicting patterns.
std::string describe_conflict(const Pattern& p1, const Pattern& p2) {
    const Rel m = compare_methods(p1, p2);
    const Rel p = compare_paths(p1, p2);
    if (combine(m, p) == Rel::equivalent) return p1.str + " matches the same requests as " + p2.str;
    if (p == Rel::overlaps)
        return p1.str + " and " + p2.str + " both match some paths, like " + quote(common_path(p1, p2)) +
               ".\nBut neither is more specific than the other.\n" + p1.str + " matches " +
               quote(difference_path(p1, p2)) + ", but " + p2.str + " doesn't.\n" + p2.str + " matches " +
               quote(difference_path(p2, p1)) + ", but " + p1.str + " doesn't.";
    if (m == Rel::more_general)
        return p1.str + " matches more methods than " + p2.str + ", but has a more specific path pattern";
    return p1.str + " matches fewer methods than " + p2.str + ", but has a more general path pattern";
}

// ---- the routing tree -------------------------------------------------------

struct Entry {
    Pattern pattern;
    HandlerFunc handler;
};

// A node below a method: the pattern whose path ends here, and the children
// by the next segment. A "{$}" and a multi end their pattern, so they are
// leaves held directly.
struct Node {
    const Entry* leaf = nullptr;
    std::map<std::string, std::unique_ptr<Node>, std::less<>> literals;
    std::unique_ptr<Node> wild;
    const Entry* dollar = nullptr;
    const Entry* multi = nullptr;
};

using Values = std::vector<std::string>;

// The pattern under n that matches path (which is "" or starts with "/"),
// with the values of its wildcards appended to vals in order (vals is left
// as it was on no match).
const Entry* match_path(const Node* n, std::string_view path, Values& vals) {
    if (!n) return nullptr;
    if (path.empty()) return n->leaf;
    if (path == "/") {
        if (n->dollar) return n->dollar;
    } else {
        const std::string_view tail = path.substr(1);
        const std::size_t end = std::min(tail.find('/'), tail.size());
        const std::string_view seg = tail.substr(0, end), rest = tail.substr(end);
        if (const auto it = n->literals.find(seg); it != n->literals.end())
            if (const Entry* e = match_path(it->second.get(), rest, vals)) return e;
        if (n->wild) {
            vals.emplace_back(seg);
            if (const Entry* e = match_path(n->wild.get(), rest, vals)) return e;
            vals.pop_back();
        }
    }
    if (n->multi) {
        if (!n->multi->pattern.segments.back().s.empty()) vals.emplace_back(path.substr(1));
        return n->multi;
    }
    return nullptr;
}

// Go's exactMatch: e matches path with its multi, if any, taking nothing.
bool exact_match(const Entry* e, std::string_view path) {
    if (!e) return false;
    if (e->pattern.segments.back().kind != Kind::multi) return true;
    if (!path.empty() && path.back() != '/') return false;
    return e->pattern.segments.size() == static_cast<std::size_t>(std::count(path.begin(), path.end(), '/'));
}

// Proto "HTTP/M.N" with M.N at least 1.1.
bool proto_at_least_11(std::string_view proto) {
    if (!proto.starts_with("HTTP/")) return false;
    proto.remove_prefix(5);
    const std::size_t dot = proto.find('.');
    if (dot == npos || dot == 0 || dot + 1 == proto.size()) return false;
    const std::string_view major = proto.substr(0, dot), minor = proto.substr(dot + 1);
    auto digits = [](std::string_view d) { return std::all_of(d.begin(), d.end(), [](char c) { return c >= '0' && c <= '9'; }); };
    if (!digits(major) || !digits(minor)) return false;
    return std::stoi(std::string(major)) > 1 || (major == "1" && minor != "0");
}

// Go's Redirect(w, r, url, 301) for url an absolute path: Location (its path
// cleaned), and, unless a Content-Type was set, an HTML body for GET.
void redirect(ResponseWriter& w, const Request& r, const std::string& url) {
    const std::size_t q = std::min(url.find('?'), url.size());
    const std::string location = clean_path(std::string_view(url).substr(0, q)) + url.substr(q);
    const bool had_ct = w.header().has("Content-Type");
    w.header().set("Location", location);
    if (!had_ct && (r.method == "GET" || r.method == "HEAD")) w.header().set("Content-Type", "text/html; charset=utf-8");
    w.write_header(StatusMovedPermanently);
    if (!had_ct && r.method == "GET")
        w.write("<a href=\"" + html_escape(location) + "\">" + status_text(StatusMovedPermanently) + "</a>.\n\n");
}

}  // namespace

// ---- ServeMux -----------------------------------------------------------------

struct ServeMux::Impl {
    mutable sync::RWMutex mu;
    std::vector<std::unique_ptr<Entry>> entries GOCXX_GUARDED_BY(mu);
    std::map<std::string, std::map<std::string, Node, std::less<>>, std::less<>> tree GOCXX_GUARDED_BY(mu);  // host -> method -> path

    // What a request gets: a handler with its values, a redirect, or (neither)
    // 405 with allow, or 404 when allow is empty.
    struct Found {
        const Entry* entry = nullptr;
        Values values;
        std::optional<std::string> redirect;
        std::set<std::string> allow;
    };

    const Entry* match_methods(const std::map<std::string, Node, std::less<>>& methods, std::string_view method,
                               std::string_view path, Values& vals) const {
        auto under = [&](std::string_view m) -> const Entry* {
            const auto it = methods.find(m);
            return it == methods.end() ? nullptr : match_path(&it->second, path, vals);
        };
        if (const Entry* e = under(method)) return e;
        if (method == "HEAD")
            if (const Entry* e = under("GET")) return e;
        return under("");
    }

    const Entry* match(std::string_view host, std::string_view method, std::string_view path, Values& vals) const
        GOCXX_REQUIRES_SHARED(mu) {
        if (!host.empty())
            if (const auto it = tree.find(host); it != tree.end())
                if (const Entry* e = match_methods(it->second, method, path, vals)) return e;
        const auto it = tree.find("");
        return it == tree.end() ? nullptr : match_methods(it->second, method, path, vals);
    }

    // The match for path, unless u is given and only path + "/" matches
    // exactly: then f.redirect is u's path, cleaned, plus "/".
    void match_or_redirect(std::string_view host, std::string_view method, std::string_view path, const URL* u,
                           Found& f) const GOCXX_REQUIRES_SHARED(mu) {
        f.entry = match(host, method, path, f.values);
        if (exact_match(f.entry, path) || !u || path.ends_with('/')) return;
        const std::string slashed = std::string(path) + "/";
        Values ignored;
        if (exact_match(match(host, method, slashed, ignored), slashed)) {
            f.redirect = escape_path(clean_path(u->path) + "/") + (u->raw_query.empty() ? "" : "?" + u->raw_query);
            f.entry = nullptr;
        }
    }

    // Adds the methods of the patterns with one that match host and path
    // (HEAD where GET does).
    void matching_methods(std::string_view host, std::string_view path, std::set<std::string>& set) const
        GOCXX_REQUIRES_SHARED(mu) {
        // tree is passed in: the lambda is analysed on its own and cannot see mu held.
        auto under = [&](const auto& hosts, std::string_view h) {
            const auto it = hosts.find(h);
            if (it == hosts.end()) return;
            for (const auto& [m, node] : it->second) {
                Values ignored;
                if (!m.empty() && match_path(&node, path, ignored)) set.insert(m);
            }
        };
        if (!host.empty()) under(tree, host);
        under(tree, "");
        if (set.contains("GET")) set.insert("HEAD");
    }

    Found find(const Request& r) const {
        gocxx::detail::SharedLockGuard<sync::RWMutex> lock(mu);
        Found f;
        std::string host, path;
        if (r.method == "CONNECT") {
            // CONNECT's path is not cleaned; its trailing-slash redirect uses
            // the URL's host, its match the Host header's, port and all.
            host = r.url.host;
            path = r.url.path;
            match_or_redirect(host, r.method, path, &r.url, f);
            if (f.redirect) return f;
            f.values.clear();
            f.entry = match(r.host, r.method, path, f.values);
        } else {
            host = strip_host_port(r.host);
            path = clean_path(r.url.path);
            match_or_redirect(host, r.method, path, &r.url, f);
            if (f.redirect) return f;
            if (path != r.url.path) {
                f.redirect = escape_path(path) + (r.url.raw_query.empty() ? "" : "?" + r.url.raw_query);
                return f;
            }
        }
        if (!f.entry) {
            matching_methods(host, path, f.allow);
            if (!path.ends_with('/')) matching_methods(host, path + "/", f.allow);
        }
        return f;
    }
};

ServeMux::ServeMux() : impl_(std::make_unique<Impl>()) {}
ServeMux::~ServeMux() = default;

void ServeMux::handle_func(std::string_view pattern, HandlerFunc h) {
    if (pattern.empty()) throw Panic("http: invalid pattern");
    if (!h) throw Panic("http: nil handler");
    auto e = std::make_unique<Entry>(Entry{parse_pattern(pattern), std::move(h)});
    const Pattern& p = e->pattern;
    gocxx::detail::LockGuard<sync::RWMutex> lock(impl_->mu);
    for (const auto& other : impl_->entries)
        if (conflicts(p, other->pattern))
            throw Panic("pattern " + quote(p.str) + " conflicts with pattern " + quote(other->pattern.str) + ":\n" +
                        describe_conflict(p, other->pattern));
    Node* n = &impl_->tree[p.host][p.method];
    for (const Segment& s : p.segments) {
        switch (s.kind) {
            case Kind::literal: {
                auto& child = n->literals[s.s];
                if (!child) child = std::make_unique<Node>();
                n = child.get();
                break;
            }
            case Kind::wild:
                if (!n->wild) n->wild = std::make_unique<Node>();
                n = n->wild.get();
                break;
            case Kind::dollar: n->dollar = e.get(); break;
            case Kind::multi: n->multi = e.get(); break;
        }
    }
    if (const Kind last = p.segments.back().kind; last != Kind::dollar && last != Kind::multi) n->leaf = e.get();
    impl_->entries.push_back(std::move(e));
}

void ServeMux::serve_http(ResponseWriter& w, Request& r) const {
    if (r.request_uri == "*") {
        if (proto_at_least_11(r.proto)) w.header().set("Connection", "close");
        w.write_header(StatusBadRequest);
        return;
    }
    Impl::Found f = impl_->find(r);
    if (f.redirect) {
        redirect(w, r, *f.redirect);
    } else if (f.entry) {
        std::size_t k = 0;
        for (const Segment& s : f.entry->pattern.segments)
            if ((s.kind == Kind::wild || s.kind == Kind::multi) && !s.s.empty()) r.set_path_value(s.s, f.values[k++]);
        f.entry->handler(w, r);
    } else if (!f.allow.empty()) {
        std::string allow;
        for (const std::string& m : f.allow) allow += (allow.empty() ? "" : ", ") + m;
        w.header().set("Allow", allow);
        error(w, status_text(StatusMethodNotAllowed), StatusMethodNotAllowed);
    } else {
        not_found(w, r);
    }
}

}  // namespace gocxx::http
