// Headers, URLs, requests, status texts: the value types of gocxx::http.
#include <gocxx/http/http.hpp>

#include <cctype>

namespace gocxx::http {

// ---- status texts ----------------------------------------------------------

std::string status_text(int code) {
    switch (code) {
        case 100: return "Continue";
        case 101: return "Switching Protocols";
        case 200: return "OK";
        case 201: return "Created";
        case 202: return "Accepted";
        case 203: return "Non-Authoritative Information";
        case 204: return "No Content";
        case 205: return "Reset Content";
        case 206: return "Partial Content";
        case 300: return "Multiple Choices";
        case 301: return "Moved Permanently";
        case 302: return "Found";
        case 303: return "See Other";
        case 304: return "Not Modified";
        case 305: return "Use Proxy";
        case 307: return "Temporary Redirect";
        case 308: return "Permanent Redirect";
        case 400: return "Bad Request";
        case 401: return "Unauthorized";
        case 402: return "Payment Required";
        case 403: return "Forbidden";
        case 404: return "Not Found";
        case 405: return "Method Not Allowed";
        case 406: return "Not Acceptable";
        case 407: return "Proxy Authentication Required";
        case 408: return "Request Timeout";
        case 409: return "Conflict";
        case 410: return "Gone";
        case 411: return "Length Required";
        case 412: return "Precondition Failed";
        case 413: return "Request Entity Too Large";
        case 414: return "Request URI Too Long";
        case 415: return "Unsupported Media Type";
        case 416: return "Requested Range Not Satisfiable";
        case 417: return "Expectation Failed";
        case 418: return "I'm a teapot";
        case 421: return "Misdirected Request";
        case 422: return "Unprocessable Entity";
        case 423: return "Locked";
        case 424: return "Failed Dependency";
        case 425: return "Too Early";
        case 426: return "Upgrade Required";
        case 428: return "Precondition Required";
        case 429: return "Too Many Requests";
        case 431: return "Request Header Fields Too Large";
        case 451: return "Unavailable For Legal Reasons";
        case 500: return "Internal Server Error";
        case 501: return "Not Implemented";
        case 502: return "Bad Gateway";
        case 503: return "Service Unavailable";
        case 504: return "Gateway Timeout";
        case 505: return "HTTP Version Not Supported";
        case 506: return "Variant Also Negotiates";
        case 507: return "Insufficient Storage";
        case 508: return "Loop Detected";
        case 510: return "Not Extended";
        case 511: return "Network Authentication Required";
        default: return "";
    }
}

// ---- Header --------------------------------------------------------------

std::string canonical_header_key(std::string_view key) {
    // Go leaves a key with a space or a non-token byte as it is.
    for (char c : key)
        if (c == ' ' || static_cast<unsigned char>(c) < 0x21 || static_cast<unsigned char>(c) > 0x7e) return std::string(key);
    std::string k(key);
    bool upper = true;
    for (char& c : k) {
        c = upper ? static_cast<char>(std::toupper(static_cast<unsigned char>(c)))
                  : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        upper = c == '-';
    }
    return k;
}

std::string Header::get(std::string_view key) const {
    const std::string k = canonical_header_key(key);
    for (const auto& [n, v] : kv_)
        if (n == k) return v;
    return "";
}

bool Header::has(std::string_view key) const {
    const std::string k = canonical_header_key(key);
    for (const auto& kv : kv_)
        if (kv.first == k) return true;
    return false;
}

std::vector<std::string> Header::values(std::string_view key) const {
    const std::string k = canonical_header_key(key);
    std::vector<std::string> out;
    for (const auto& [n, v] : kv_)
        if (n == k) out.push_back(v);
    return out;
}

void Header::del(std::string_view key) {
    const std::string k = canonical_header_key(key);
    std::erase_if(kv_, [&](const auto& kv) { return kv.first == k; });
}

void Header::set(std::string_view key, std::string_view value) {
    del(key);
    add(key, value);
}

void Header::add(std::string_view key, std::string_view value) { kv_.emplace_back(canonical_header_key(key), std::string(value)); }

// ---- URL -----------------------------------------------------------------

namespace {

int hexval(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

// Percent-decoding; plus: '+' is a space (query strings). False on a bad escape.
bool unescape(std::string_view s, bool plus, std::string& out) {
    out.clear();
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '%') {
            if (i + 2 >= s.size()) return false;
            const int a = hexval(s[i + 1]), b = hexval(s[i + 2]);
            if (a < 0 || b < 0) return false;
            out += static_cast<char>(a * 16 + b);
            i += 2;
        } else if (plus && s[i] == '+') {
            out += ' ';
        } else {
            out += s[i];
        }
    }
    return true;
}

}  // namespace

std::pair<URL, Error> parse_url(std::string_view raw) {
    URL u;
    std::string_view rest = raw;
    auto fail = [&](std::string why) { return std::pair<URL, Error>{URL{}, Error("parse \"" + std::string(raw) + "\": " + why)}; };
    if (const auto frag = rest.find('#'); frag != std::string_view::npos) rest = rest.substr(0, frag);
    if (!rest.empty() && rest[0] != '/') {
        const auto colon = rest.find("://");
        if (colon == std::string_view::npos || colon == 0) return fail("missing protocol scheme");
        u.scheme = std::string(rest.substr(0, colon));
        for (char& c : u.scheme) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        rest = rest.substr(colon + 3);
        const auto slash = rest.find_first_of("/?");
        u.host = std::string(rest.substr(0, slash));
        if (const auto at = u.host.rfind('@'); at != std::string::npos) u.host = u.host.substr(at + 1);  // drop userinfo
        rest = slash == std::string_view::npos ? std::string_view() : rest.substr(slash);
    }
    std::string_view path = rest, query;
    if (const auto q = rest.find('?'); q != std::string_view::npos) {
        path = rest.substr(0, q);
        query = rest.substr(q + 1);
    }
    if (!unescape(path, false, u.path)) return fail("invalid URL escape");
    u.raw_query = std::string(query);
    return {u, Error()};
}

std::string URL::request_uri() const {
    std::string s = path.empty() ? "/" : path;
    if (!raw_query.empty()) s += "?" + raw_query;
    return s;
}

std::string URL::string() const {
    std::string s;
    if (!scheme.empty()) s = scheme + "://" + host;
    s += path;
    if (!raw_query.empty()) s += "?" + raw_query;
    return s;
}

std::string URL::query(std::string_view key) const {
    std::string_view q = raw_query;
    while (!q.empty()) {
        const auto amp = q.find('&');
        std::string_view kv = q.substr(0, amp);
        q = amp == std::string_view::npos ? std::string_view() : q.substr(amp + 1);
        const auto eq = kv.find('=');
        std::string k, v;
        if (!unescape(kv.substr(0, eq), true, k)) continue;
        if (k != key) continue;
        if (eq != std::string_view::npos && !unescape(kv.substr(eq + 1), true, v)) continue;
        return v;
    }
    return "";
}

// ---- Request -------------------------------------------------------------

Request Request::with_context(context::Context ctx) const {
    Request r = *this;
    r.ctx_ = std::move(ctx);
    return r;
}

std::string Request::path_value(std::string_view name) const {
    for (const auto& [k, v] : path_values_)
        if (k == name) return v;
    return "";
}

void Request::set_path_value(std::string name, std::string value) {
    for (auto& kv : path_values_)
        if (kv.first == name) {
            kv.second = std::move(value);
            return;
        }
    path_values_.emplace_back(std::move(name), std::move(value));
}

std::pair<Request, Error> new_request(std::string_view method, std::string_view url, std::string body) {
    return new_request_with_context(context::background(), method, url, std::move(body));
}

std::pair<Request, Error> new_request_with_context(const context::Context& ctx, std::string_view method,
                                                   std::string_view url, std::string body) {
    Request r;
    if (method.empty()) method = "GET";
    for (char c : method)
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_')
            return {Request{}, Error("net/http: invalid method \"" + std::string(method) + "\"")};
    auto [u, err] = parse_url(url);
    if (err) return {Request{}, err};
    r.method = std::string(method);
    r.url = std::move(u);
    r.host = r.url.host;
    r.body = std::move(body);
    r.ctx_ = ctx;
    return {std::move(r), Error()};
}

}  // namespace gocxx::http
