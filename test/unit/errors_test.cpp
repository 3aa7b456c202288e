// gocxx::Error and Go's errors package: identity, wrap, is, as, unwrap, join,
// user error types (with and without their own is()), and nil handling.
#define BOOST_TEST_MODULE errors
#include <boost/test/unit_test.hpp>

#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include <gocxx/gocxx.hpp>

using namespace gocxx;

namespace {

struct NotFound : ErrorBase {
    explicit NotFound(std::string k) : key(std::move(k)) {}
    std::string key;
    std::string error() const override { return "not found: " + key; }
};

// Derived from NotFound: as<NotFound> must find it too.
struct TableNotFound : NotFound {
    TableNotFound(std::string k, std::string t) : NotFound(std::move(k)), table(std::move(t)) {}
    std::string table;
    std::string error() const override { return "table " + table + ": " + NotFound::error(); }
};

struct Unrelated : ErrorBase {
    std::string error() const override { return "unrelated"; }
};

// A mixin not derived from ErrorBase: as<Temporary> cross-casts to it.
struct Temporary {
    virtual ~Temporary() = default;
    virtual bool temporary() const = 0;
};
struct Timeout : ErrorBase, Temporary {
    std::string error() const override { return "timeout"; }
    bool temporary() const override { return true; }
};

// Go's optional Is method: any Code error with the same code matches.
struct Code : ErrorBase {
    explicit Code(int c) : code(c) {}
    int code;
    std::string error() const override { return "code " + std::to_string(code); }
    bool is(const Error& target) const override {
        auto* t = dynamic_cast<const Code*>(target.get());
        return t != nullptr && t->code == code;
    }
};

// A user type that wraps another error, as a Go type with Unwrap() error.
struct QueryError : ErrorBase {
    QueryError(std::string q, Error e) : query(std::move(q)), err(std::move(e)) {}
    std::string query;
    Error err;
    std::string error() const override { return "query " + query + ": " + err.message(); }
    Error unwrap() const override { return err; }
};

// as<T> on a temporary would dangle: it must not compile.
template <class E>
concept as_accepts_rvalue = requires(E e) { errors::as<NotFound>(std::move(e)); };
template <class E>
concept as_accepts_lvalue = requires(const E& e) { errors::as<NotFound>(e); };
static_assert(as_accepts_lvalue<Error>);
static_assert(!as_accepts_rvalue<Error>);

// Comparing with a fresh user error value is always false: rejected.
template <class E, class T>
concept comparable = requires(const E& e, const T& t) { e == t; };
static_assert(comparable<Error, Error>);
static_assert(!comparable<Error, NotFound>);
static_assert(!comparable<NotFound, Error>);

}  // namespace

// ---------------------------------------------------------------- identity

BOOST_AUTO_TEST_CASE(sentinel_identity) {
    static const Error ErrSentinel("sentinel");
    Error copy = ErrSentinel;
    BOOST_TEST((copy == ErrSentinel));
    BOOST_TEST(errors::is(copy, ErrSentinel));
    BOOST_TEST(copy.get() == ErrSentinel.get());
    BOOST_TEST(copy.message() == "sentinel");
}

BOOST_AUTO_TEST_CASE(same_text_is_a_different_error) {
    Error a("x"), b("x");
    BOOST_TEST(!(a == b));
    BOOST_TEST((a != b));
    BOOST_TEST(!errors::is(a, b));
    BOOST_TEST(a.message() == b.message());
}

BOOST_AUTO_TEST_CASE(user_type_converts_to_error) {
    Error err = NotFound("k");
    BOOST_TEST(static_cast<bool>(err));
    BOOST_TEST(err.message() == "not found: k");
    std::ostringstream os;
    os << err;
    BOOST_TEST(os.str() == "not found: k");
    Error again = NotFound("k");
    BOOST_TEST(!(err == again));  // each conversion makes a new error
    auto p = std::make_shared<const NotFound>("shared");
    Error from_ptr(p);
    BOOST_TEST(from_ptr.get() == p.get());
    BOOST_TEST(!Error(std::shared_ptr<const ErrorBase>()));
}

// ---------------------------------------------------------------- wrap

BOOST_AUTO_TEST_CASE(wrap_message_and_is_through_three_levels) {
    const Error base("disk full");
    Error w1 = errors::wrap(base, "write block");
    Error w2 = errors::wrap(w1, "save file");
    Error w3 = errors::wrap(w2, "read " + std::string("config.json"));
    BOOST_TEST(w1.message() == "write block: disk full");
    BOOST_TEST(w3.message() == "read config.json: save file: write block: disk full");
    BOOST_TEST(!(w3 == base));
    BOOST_TEST(errors::is(w3, base));
    BOOST_TEST(errors::is(w3, w2));
    BOOST_TEST(errors::is(w3, w3));
    BOOST_TEST(!errors::is(w1, w3));  // is looks down the tree, not up
    BOOST_TEST(!errors::is(w3, Error("disk full")));
    BOOST_TEST(errors::is(w3, base) == true);
}

BOOST_AUTO_TEST_CASE(wrap_of_nil) {
    Error w = errors::wrap(nullptr, "x");
    BOOST_TEST(static_cast<bool>(w));
    BOOST_TEST(w.message() == "x: <nil>");
    BOOST_TEST(!errors::unwrap(w));
    BOOST_TEST(!errors::is(w, nullptr));
}

// ---------------------------------------------------------------- unwrap

BOOST_AUTO_TEST_CASE(unwrap_wrap_join_plain) {
    const Error base("base");
    Error w = errors::wrap(base, "ctx");
    BOOST_TEST((errors::unwrap(w) == base));
    BOOST_TEST((errors::unwrap(errors::wrap(w, "outer")) == w));
    BOOST_TEST(!errors::unwrap(base));
    BOOST_TEST(!errors::unwrap(Error(NotFound("k"))));
    Error j = errors::join(base, w);
    BOOST_TEST(!errors::unwrap(j));  // a join wraps several: Unwrap gives nil
    Error q = QueryError("q1", base);
    BOOST_TEST((errors::unwrap(q) == base));
    BOOST_TEST(errors::is(errors::wrap(q, "run"), base));
}

// ---------------------------------------------------------------- join

BOOST_AUTO_TEST_CASE(join_drops_nils_and_joins_messages) {
    const Error a("a"), b("b"), c("c");
    Error j = errors::join(a, nullptr, b, Error(), c);
    BOOST_TEST(static_cast<bool>(j));
    BOOST_TEST(j.message() == "a\nb\nc");
    std::vector<Error> branches = j.get()->unwrap_all();
    BOOST_TEST_REQUIRE(branches.size() == 3u);
    BOOST_TEST((branches[0] == a));
    BOOST_TEST((branches[1] == b));
    BOOST_TEST((branches[2] == c));

    Error one = errors::join(nullptr, a);
    BOOST_TEST(one.message() == "a");
    BOOST_TEST(!(one == a));  // a new error, as Go's Join(err)
    BOOST_TEST(errors::is(one, a));

    Error from_vector = errors::join(std::vector<Error>{Error(), b, nullptr, a});
    BOOST_TEST(from_vector.message() == "b\na");
}

BOOST_AUTO_TEST_CASE(join_of_only_nils_is_nil) {
    BOOST_TEST(!errors::join());
    BOOST_TEST(!errors::join(nullptr));
    BOOST_TEST(!errors::join(Error(), nullptr, Error()));
    BOOST_TEST(!errors::join(std::vector<Error>{}));
    BOOST_TEST(!errors::join(std::vector<Error>{Error(), Error()}));
    BOOST_TEST((errors::join(nullptr, nullptr) == nullptr));
}

BOOST_AUTO_TEST_CASE(is_through_join_branches) {
    const Error a("a"), b("b"), deep("deep"), absent("absent");
    Error tree = errors::wrap(
        errors::join(errors::wrap(a, "first"), errors::join(b, errors::wrap(errors::wrap(deep, "x"), "y"))),
        "top");
    BOOST_TEST(tree.message() == "top: first: a\nb\ny: x: deep");
    BOOST_TEST(errors::is(tree, a));
    BOOST_TEST(errors::is(tree, b));
    BOOST_TEST(errors::is(tree, deep));
    BOOST_TEST(!errors::is(tree, absent));
    BOOST_TEST(!errors::is(tree, nullptr));
}

// ---------------------------------------------------------------- as

BOOST_AUTO_TEST_CASE(as_finds_user_type_inside_wrap) {
    Error err = errors::wrap(errors::wrap(NotFound("user:42"), "load"), "handle");
    BOOST_TEST(err.message() == "handle: load: not found: user:42");
    const NotFound* nf = errors::as<NotFound>(err);
    BOOST_TEST_REQUIRE(nf != nullptr);
    BOOST_TEST(nf->key == "user:42");
    BOOST_TEST((errors::unwrap(errors::unwrap(err)).get() == nf));
    BOOST_TEST(errors::as<Unrelated>(err) == nullptr);
    BOOST_TEST(errors::as<Code>(err) == nullptr);
}

BOOST_AUTO_TEST_CASE(as_finds_user_type_inside_join) {
    Error err = errors::join(Error("plain"), errors::wrap(Code(7), "op"), NotFound("in-join"), NotFound("second"));
    const NotFound* nf = errors::as<NotFound>(err);
    BOOST_TEST_REQUIRE(nf != nullptr);
    BOOST_TEST(nf->key == "in-join");  // the first in depth-first order
    const Code* c = errors::as<Code>(err);
    BOOST_TEST_REQUIRE(c != nullptr);
    BOOST_TEST(c->code == 7);
    BOOST_TEST(errors::as<Unrelated>(err) == nullptr);
    BOOST_TEST(errors::as<TableNotFound>(err) == nullptr);  // a base is not a derived
}

BOOST_AUTO_TEST_CASE(as_with_a_base_of_the_stored_type) {
    Error err = errors::wrap(TableNotFound("k9", "users"), "query");
    BOOST_TEST(err.message() == "query: table users: not found: k9");
    const NotFound* nf = errors::as<NotFound>(err);
    BOOST_TEST_REQUIRE(nf != nullptr);
    BOOST_TEST(nf->key == "k9");
    const TableNotFound* t = errors::as<TableNotFound>(err);
    BOOST_TEST_REQUIRE(t != nullptr);
    BOOST_TEST(t->table == "users");
    BOOST_TEST(static_cast<const NotFound*>(t) == nf);
    const ErrorBase* any = errors::as<ErrorBase>(err);
    BOOST_TEST(any == err.get());  // err itself comes first
}

BOOST_AUTO_TEST_CASE(as_cross_casts_to_a_mixin) {
    Error err = errors::join(NotFound("a"), errors::wrap(Timeout(), "dial"));
    const Temporary* t = errors::as<Temporary>(err);
    BOOST_TEST_REQUIRE(t != nullptr);
    BOOST_TEST(t->temporary());
    const Error plain("plain");
    BOOST_TEST(errors::as<Temporary>(plain) == nullptr);
}

// ---------------------------------------------------------------- a type's own is()

BOOST_AUTO_TEST_CASE(user_is_method) {
    Error err = errors::wrap(Code(404), "fetch");
    BOOST_TEST(errors::is(err, Code(404)));     // a different object, matched by Code::is
    BOOST_TEST(!errors::is(err, Code(500)));
    BOOST_TEST(!errors::is(err, Error("code 404")));
    Error j = errors::join(Error("x"), Code(1), Code(2));
    BOOST_TEST(errors::is(j, Code(2)));
    BOOST_TEST(!errors::is(j, Code(3)));
    // Without an is() method only identity counts.
    BOOST_TEST(!errors::is(Error(NotFound("k")), NotFound("k")));
}

// ---------------------------------------------------------------- nil

BOOST_AUTO_TEST_CASE(nil_handling) {
    const Error nil;
    const Error some("some");
    BOOST_TEST(!nil);
    BOOST_TEST((nil == nullptr));
    BOOST_TEST((Error(nullptr) == nil));
    BOOST_TEST(nil.get() == nullptr);
    BOOST_TEST(nil.message() == "<nil>");
    std::ostringstream os;
    os << nil;
    BOOST_TEST(os.str() == "<nil>");
    BOOST_TEST(errors::is(nil, nil));
    BOOST_TEST(errors::is(nullptr, nullptr));
    BOOST_TEST(!errors::is(some, nil));
    BOOST_TEST(!errors::is(nil, some));
    BOOST_TEST(errors::as<NotFound>(nil) == nullptr);
    BOOST_TEST(errors::as<ErrorBase>(nil) == nullptr);
    BOOST_TEST(!errors::unwrap(nil));
}

// ---------------------------------------------------------------- context sentinels

BOOST_AUTO_TEST_CASE(context_canceled_still_a_sentinel) {
    auto [ctx, cancel] = context::with_cancel(context::background());
    BOOST_TEST(!ctx.err());
    cancel();
    Error err = ctx.err();
    BOOST_TEST((err == context::Canceled));
    BOOST_TEST(!(err == context::DeadlineExceeded));
    BOOST_TEST(err.message() == "context canceled");
    Error wrapped = errors::wrap(err, "fetch user");
    BOOST_TEST(wrapped.message() == "fetch user: context canceled");
    BOOST_TEST(errors::is(wrapped, context::Canceled));
    BOOST_TEST(!errors::is(wrapped, context::DeadlineExceeded));
    BOOST_TEST(!(Error("context canceled") == context::Canceled));
}
