// http::ServeMux: Go 1.22's patterns, precedence, conflicts, and the
// replies of its own (404, 405, redirects), driven by hand-built requests
// and a ResponseWriter that records what it is given.
#define BOOST_TEST_MODULE http_mux
#include <boost/test/unit_test.hpp>

#include <string>

#include <gocxx/http/http.hpp>
#include <gocxx/panic.hpp>

using namespace gocxx;

namespace {

// Records the status, headers and body a handler produces.
struct Recorder : http::ResponseWriter {
    http::Header h;
    int code = 0;  // 0: nothing written
    std::string body;
    http::Header& header() override { return h; }
    void write_header(int c) override {
        if (code == 0) code = c;
    }
    std::pair<std::size_t, Error> write(std::string_view d) override {
        if (code == 0) code = http::StatusOK;
        body += d;
        return {d.size(), Error()};
    }
};

// Serves method url (host: the Host header, if given) through mux.
Recorder serve(const http::ServeMux& mux, std::string_view method, std::string_view url, std::string host = "") {
    auto [r, err] = http::new_request(method, url);
    BOOST_REQUIRE(!err);
    if (!host.empty()) r.host = host;
    Recorder w;
    mux.serve_http(w, r);
    return w;
}

// A handler that answers with its name, and the path values of names
// (comma-separated, "name=value").
http::HandlerFunc reply(std::string tag, std::vector<std::string> names = {}) {
    return [tag, names](http::ResponseWriter& w, http::Request& r) {
        std::string s = tag;
        for (const auto& n : names) s += "," + n + "=" + r.path_value(n);
        w.write(s);
    };
}

// The message of the Panic that registering pattern throws ("" if none).
std::string panic_of(http::ServeMux& mux, std::string_view pattern) {
    try {
        mux.handle_func(pattern, reply("x"));
    } catch (const Panic& p) {
        return p.what();
    }
    return "";
}

}  // namespace

BOOST_AUTO_TEST_CASE(exact_path_and_subtree) {
    http::ServeMux mux;
    mux.handle_func("/a", reply("a"));
    mux.handle_func("/b/", reply("b"));
    BOOST_TEST(serve(mux, "GET", "/a").body == "a");
    BOOST_TEST(serve(mux, "GET", "/a/x").code == 404);  // an exact path has no subtree
    BOOST_TEST(serve(mux, "GET", "/b/").body == "b");
    BOOST_TEST(serve(mux, "GET", "/b/x/y").body == "b");
    BOOST_TEST(serve(mux, "GET", "/c").code == 404);
}

BOOST_AUTO_TEST_CASE(single_wildcards) {
    http::ServeMux mux;
    mux.handle_func("/users/{id}/posts/{post}", reply("p", {"id", "post"}));
    BOOST_TEST(serve(mux, "GET", "/users/7/posts/42").body == "p,id=7,post=42");
    BOOST_TEST(serve(mux, "GET", "/users/7/posts").code == 404);
    BOOST_TEST(serve(mux, "GET", "/users/7/posts/42/x").code == 404);
    BOOST_TEST(serve(mux, "GET", "/users/7/posts/").code == 404);  // {post} does not match ""
}

BOOST_AUTO_TEST_CASE(rest_wildcard) {
    http::ServeMux mux;
    mux.handle_func("/files/{path...}", reply("f", {"path"}));
    BOOST_TEST(serve(mux, "GET", "/files/a/b/c.txt").body == "f,path=a/b/c.txt");
    BOOST_TEST(serve(mux, "GET", "/files/").body == "f,path=");
    // "/files" itself: the subtree's redirect, as for a trailing slash.
    const Recorder w = serve(mux, "GET", "/files");
    BOOST_TEST(w.code == 301);
    BOOST_TEST(w.h.get("Location") == "/files/");
}

BOOST_AUTO_TEST_CASE(dollar_ends_the_path) {
    http::ServeMux mux;
    mux.handle_func("/{$}", reply("root"));
    mux.handle_func("/a/{$}", reply("a"));
    BOOST_TEST(serve(mux, "GET", "/").body == "root");
    BOOST_TEST(serve(mux, "GET", "/x").code == 404);
    BOOST_TEST(serve(mux, "GET", "/a/").body == "a");
    BOOST_TEST(serve(mux, "GET", "/a/b").code == 404);
    BOOST_TEST(serve(mux, "GET", "/a").h.get("Location") == "/a/");
}

BOOST_AUTO_TEST_CASE(methods) {
    http::ServeMux mux;
    mux.handle_func("GET /r", reply("get"));
    mux.handle_func("POST /r", reply("post"));
    BOOST_TEST(serve(mux, "GET", "/r").body == "get");
    BOOST_TEST(serve(mux, "HEAD", "/r").body == "get");
    BOOST_TEST(serve(mux, "POST", "/r").body == "post");
    // An explicit HEAD is more specific than GET.
    mux.handle_func("HEAD /r", reply("head"));
    BOOST_TEST(serve(mux, "HEAD", "/r").body == "head");
    BOOST_TEST(serve(mux, "GET", "/r").body == "get");
    // A method-less pattern takes what the others do not.
    mux.handle_func("/r", reply("any"));
    BOOST_TEST(serve(mux, "DELETE", "/r").body == "any");
}

BOOST_AUTO_TEST_CASE(method_not_allowed) {
    http::ServeMux mux;
    mux.handle_func("POST /r", reply("post"));
    mux.handle_func("GET /r", reply("get"));
    mux.handle_func("PUT /other", reply("put"));
    const Recorder w = serve(mux, "DELETE", "/r");
    BOOST_TEST(w.code == 405);
    BOOST_TEST(w.h.get("Allow") == "GET, HEAD, POST");
    BOOST_TEST(w.body == "Method Not Allowed\n");
    BOOST_TEST(w.h.get("Content-Type") == "text/plain; charset=utf-8");
    BOOST_TEST(w.h.get("X-Content-Type-Options") == "nosniff");
    // The methods of a subtree that "/d" would be redirected to count too.
    mux.handle_func("GET /d/", reply("d"));
    BOOST_TEST(serve(mux, "PUT", "/d").h.get("Allow") == "GET, HEAD");
}

BOOST_AUTO_TEST_CASE(not_found_reply) {
    http::ServeMux mux;
    mux.handle_func("/a", reply("a"));
    const Recorder w = serve(mux, "GET", "/nope");
    BOOST_TEST(w.code == 404);
    BOOST_TEST(w.body == "404 page not found\n");
    BOOST_TEST(w.h.get("Content-Type") == "text/plain; charset=utf-8");
    BOOST_TEST(w.h.get("X-Content-Type-Options") == "nosniff");
    BOOST_TEST(!w.h.has("Allow"));

    Recorder e;
    http::error(e, "teapot", 418);
    BOOST_TEST(e.code == 418);
    BOOST_TEST(e.body == "teapot\n");
    BOOST_TEST(e.h.get("Content-Type") == "text/plain; charset=utf-8");
}

BOOST_AUTO_TEST_CASE(most_specific_wins) {
    http::ServeMux mux;
    mux.handle_func("/images/", reply("images"));
    mux.handle_func("/images/thumbnails/", reply("thumbs"));
    BOOST_TEST(serve(mux, "GET", "/images/thumbnails/x.png").body == "thumbs");
    BOOST_TEST(serve(mux, "GET", "/images/x.png").body == "images");

    mux.handle_func("/posts/{id}", reply("id", {"id"}));
    mux.handle_func("/posts/latest", reply("latest"));
    BOOST_TEST(serve(mux, "GET", "/posts/latest").body == "latest");
    BOOST_TEST(serve(mux, "GET", "/posts/9").body == "id,id=9");

    mux.handle_func("GET /gp/{id}", reply("id", {"id"}));
    mux.handle_func("GET /gp/latest", reply("latest"));
    BOOST_TEST(serve(mux, "GET", "/gp/latest").body == "latest");
    BOOST_TEST(serve(mux, "GET", "/gp/9").body == "id,id=9");

    mux.handle_func("/b/{bucket}/o/{noun}", reply("noun"));
    mux.handle_func("/b/{bucket}/o/default", reply("default"));
    BOOST_TEST(serve(mux, "GET", "/b/k/o/default").body == "default");
    BOOST_TEST(serve(mux, "GET", "/b/k/o/other").body == "noun");

    // The literal branch fails deeper down: back up to the wildcard.
    mux.handle_func("/t/x/z", reply("xz"));
    mux.handle_func("/t/{v}/c", reply("vc", {"v"}));
    BOOST_TEST(serve(mux, "GET", "/t/x/c").body == "vc,v=x");
    BOOST_TEST(serve(mux, "GET", "/t/x/z").body == "xz");
    // The wildcard fails too: the rest wildcard gets the whole rest, alone.
    mux.handle_func("/m/{x}/c", reply("xc", {"x"}));
    mux.handle_func("/m/{rest...}", reply("rest", {"rest"}));
    BOOST_TEST(serve(mux, "GET", "/m/q/z").body == "rest,rest=q/z");
    BOOST_TEST(serve(mux, "GET", "/m/q/c").body == "xc,x=q");
}

BOOST_AUTO_TEST_CASE(host_patterns) {
    http::ServeMux mux;
    mux.handle_func("/", reply("any"));
    mux.handle_func("example.com/", reply("example"));
    mux.handle_func("api.example.com/v1/{x}", reply("api", {"x"}));
    BOOST_TEST(serve(mux, "GET", "/x", "example.com").body == "example");
    BOOST_TEST(serve(mux, "GET", "/x", "example.com:8080").body == "example");  // the port is ignored
    BOOST_TEST(serve(mux, "GET", "http://example.com/y").body == "example");    // the URL's host is r.host
    BOOST_TEST(serve(mux, "GET", "/x", "other.com").body == "any");
    BOOST_TEST(serve(mux, "GET", "/x").body == "any");
    BOOST_TEST(serve(mux, "GET", "/v1/7", "api.example.com").body == "api,x=7");
    // The host's patterns do not match the path: the host-less ones may.
    BOOST_TEST(serve(mux, "GET", "/v2", "api.example.com").body == "any");
}

BOOST_AUTO_TEST_CASE(trailing_slash_redirect) {
    http::ServeMux mux;
    mux.handle_func("/dir/", reply("dir"));
    const Recorder w = serve(mux, "GET", "/dir?x=1&y=2");
    BOOST_TEST(w.code == 301);
    BOOST_TEST(w.h.get("Location") == "/dir/?x=1&y=2");
    BOOST_TEST(w.h.get("Content-Type") == "text/html; charset=utf-8");
    BOOST_TEST(w.body == "<a href=\"/dir/?x=1&amp;y=2\">Moved Permanently</a>.\n\n");
    const Recorder p = serve(mux, "POST", "/dir");  // no body, no type but for GET / HEAD
    BOOST_TEST(p.code == 301);
    BOOST_TEST(p.h.get("Location") == "/dir/");
    BOOST_TEST(p.body.empty());
    BOOST_TEST(!p.h.has("Content-Type"));
    // The redirect escapes the decoded path again.
    BOOST_TEST(serve(mux, "GET", "/a%20b").code == 404);
    mux.handle_func("/a%20b/", reply("ab"));
    BOOST_TEST(serve(mux, "GET", "/a%20b").h.get("Location") == "/a%20b/");
    // A subtree under "/" does not stop the redirect to a more specific one.
    mux.handle_func("/", reply("root"));
    BOOST_TEST(serve(mux, "GET", "/dir").h.get("Location") == "/dir/");
    BOOST_TEST(serve(mux, "GET", "/other").body == "root");
}

BOOST_AUTO_TEST_CASE(path_cleaning) {
    http::ServeMux mux;
    mux.handle_func("/", reply("root"));
    auto location = [&](std::string_view url) {
        const Recorder w = serve(mux, "GET", url);
        BOOST_TEST(w.code == 301);
        return w.h.get("Location");
    };
    BOOST_TEST(location("/a/../b") == "/b");
    BOOST_TEST(location("/a//b") == "/a/b");
    BOOST_TEST(location("/x/./y/") == "/x/y/");
    BOOST_TEST(location("/../../c?q=1") == "/c?q=1");
    BOOST_TEST(location("/a/b/..") == "/a");
    BOOST_TEST(serve(mux, "GET", "/a/b/").body == "root");  // clean already
}

BOOST_AUTO_TEST_CASE(percent_decoding) {
    http::ServeMux mux;
    mux.handle_func("/p/{name}", reply("p", {"name"}));
    mux.handle_func("/f/{rest...}", reply("f", {"rest"}));
    mux.handle_func("/caf%C3%A9", reply("cafe"));  // a literal is decoded too
    BOOST_TEST(serve(mux, "GET", "/p/a%20b%21").body == "p,name=a b!");
    BOOST_TEST(serve(mux, "GET", "/f/x%20y/z").body == "f,rest=x y/z");
    BOOST_TEST(serve(mux, "GET", "/caf%c3%a9").body == "cafe");
}

BOOST_AUTO_TEST_CASE(conflicts_panic) {
    http::ServeMux mux;
    mux.handle_func("/a", reply("a"));
    BOOST_TEST(panic_of(mux, "/a") == "pattern \"/a\" conflicts with pattern \"/a\":\n/a matches the same requests as /a");
    BOOST_TEST(panic_of(mux, "/{x}").empty());  // more general: no conflict
    BOOST_TEST(panic_of(mux, "/{y}").find("/{y} matches the same requests as /{x}") != std::string::npos);

    mux.handle_func("/s/a/{x}", reply("ax"));
    BOOST_TEST(panic_of(mux, "/s/{y}/b") ==
               "pattern \"/s/{y}/b\" conflicts with pattern \"/s/a/{x}\":\n"
               "/s/{y}/b and /s/a/{x} both match some paths, like \"/s/a/b\".\n"
               "But neither is more specific than the other.\n"
               "/s/{y}/b matches \"/s/y/b\", but /s/a/{x} doesn't.\n"
               "/s/a/{x} matches \"/s/a/x\", but /s/{y}/b doesn't.");

    // Go's doc example: GET is the narrower method, {id} the wider path.
    mux.handle_func("/posts/latest", reply("latest"));
    BOOST_TEST(panic_of(mux, "GET /posts/{id}") ==
               "pattern \"GET /posts/{id}\" conflicts with pattern \"/posts/latest\":\n"
               "GET /posts/{id} matches fewer methods than /posts/latest, but has a more general path pattern");
    http::ServeMux doc;
    doc.handle_func("GET /", reply("get"));
    BOOST_TEST(panic_of(doc, "/index.html").find("/index.html matches more methods than GET /, but has a more "
                                                 "specific path pattern") != std::string::npos);

    // The wildcard's name is the literal's: the example path tweaks it.
    mux.handle_func("/q/a/{c}", reply("q"));
    BOOST_TEST(panic_of(mux, "/q/{a}/b").find("/q/{a}/b matches \"/q/ax/b\", but /q/a/{c} doesn't.") !=
               std::string::npos);

    // Not conflicts: overlapping segments then disjoint ones, other methods,
    // other hosts, a host over none.
    mux.handle_func("/o/{x}/a/c", reply("o"));
    BOOST_TEST(panic_of(mux, "/o/y/{z}/d").empty());
    BOOST_TEST(panic_of(mux, "POST /a").empty());
    BOOST_TEST(panic_of(mux, "h.com/a").empty());
    BOOST_TEST(panic_of(mux, "g.com/a").empty());
    // What panicked was not registered.
    BOOST_TEST(serve(mux, "GET", "/s/q/b").body != "x");
    BOOST_TEST(serve(mux, "GET", "/a").body == "a");
}

BOOST_AUTO_TEST_CASE(invalid_patterns_panic) {
    const std::pair<std::string, std::string> cases[] = {
        {"", "http: invalid pattern"},
        {"a", "parsing \"a\": at offset 0: host/path missing /"},
        {"GET a", "parsing \"GET a\": at offset 4: host/path missing /"},
        {"G@T /", "parsing \"G@T /\": at offset 0: invalid method \"G@T\""},
        {"{x}/", "parsing \"{x}/\": at offset 0: host contains '{' (missing initial '/'?)"},
        {"/{x", "parsing \"/{x\": at offset 1: bad wildcard segment (must end with '}')"},
        {"/a/b{x}", "parsing \"/a/b{x}\": at offset 3: bad wildcard segment (must start with '{')"},
        {"/{}", "parsing \"/{}\": at offset 1: empty wildcard"},
        {"/{...}", "parsing \"/{...}\": at offset 1: empty wildcard"},
        {"/{x...}/a", "parsing \"/{x...}/a\": at offset 1: {...} wildcard not at end"},
        {"/{$}/a", "parsing \"/{$}/a\": at offset 1: {$} not at end"},
        {"/{1x}", "parsing \"/{1x}\": at offset 1: bad wildcard name \"1x\""},
        {"/{x}/{x}", "parsing \"/{x}/{x}\": at offset 5: duplicate wildcard name \"x\""},
        {"GET /a/../b", "parsing \"GET /a/../b\": at offset 4: non-CONNECT pattern with unclean path can never match"},
    };
    for (const auto& [pattern, message] : cases) {
        http::ServeMux mux;
        BOOST_TEST_CONTEXT(pattern) { BOOST_TEST(panic_of(mux, pattern) == message); }
    }
    http::ServeMux mux;
    BOOST_CHECK_EXCEPTION(mux.handle_func("/", http::HandlerFunc()), Panic,
                          [](const Panic& p) { return std::string(p.what()) == "http: nil handler"; });
    BOOST_TEST(panic_of(mux, "CONNECT /a/../b").empty());  // CONNECT paths are not cleaned
}

BOOST_AUTO_TEST_CASE(asterisk_request) {
    http::ServeMux mux;
    mux.handle_func("/", reply("root"));
    auto [r, err] = http::new_request("OPTIONS", "/");
    BOOST_REQUIRE(!err);
    r.request_uri = "*";
    Recorder w;
    mux.serve_http(w, r);
    BOOST_TEST(w.code == 400);
    BOOST_TEST(w.h.get("Connection") == "close");
    BOOST_TEST(w.body.empty());
    r.proto = "HTTP/1.0";
    Recorder w10;
    mux.serve_http(w10, r);
    BOOST_TEST(w10.code == 400);
    BOOST_TEST(!w10.h.has("Connection"));
}

BOOST_AUTO_TEST_CASE(connect_paths_are_not_cleaned) {
    http::ServeMux mux;
    mux.handle_func("CONNECT /a/../b", reply("connect"));
    mux.handle_func("/", reply("root"));
    BOOST_TEST(serve(mux, "CONNECT", "/a/../b").body == "connect");
    BOOST_TEST(serve(mux, "GET", "/a/../b").h.get("Location") == "/b");
}
