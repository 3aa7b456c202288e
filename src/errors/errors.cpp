// gocxx::ErrorBase's defaults, Error's text errors, and gocxx::errors.
#include <gocxx/errors.hpp>

#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace gocxx {

// The destructor is the key function: ErrorBase's vtable and type_info live
// here, once, so dynamic_cast behaves the same in every module.
ErrorBase::~ErrorBase() = default;
Error ErrorBase::unwrap() const { return nullptr; }
std::vector<Error> ErrorBase::unwrap_all() const { return {}; }
bool ErrorBase::is(const Error&) const { return false; }

namespace {

// Go's *errors.errorString.
class TextError final : public ErrorBase {
public:
    explicit TextError(std::string text) : text_(std::move(text)) {}
    std::string error() const override { return text_; }

private:
    std::string text_;
};

// Go's *fmt.wrapError: the text is fixed when the error is made, as Errorf's.
class WrapError final : public ErrorBase {
public:
    WrapError(std::string text, Error inner) : text_(std::move(text)), inner_(std::move(inner)) {}
    std::string error() const override { return text_; }
    Error unwrap() const override { return inner_; }

private:
    std::string text_;
    Error inner_;
};

// Go's *errors.joinError: errs_ holds no nil and is never empty.
class JoinError final : public ErrorBase {
public:
    explicit JoinError(std::vector<Error> errs) : errs_(std::move(errs)) {}
    std::string error() const override {
        std::string s = errs_.front().message();
        for (std::size_t i = 1; i < errs_.size(); ++i) {
            s += '\n';
            s += errs_[i].message();
        }
        return s;
    }
    std::vector<Error> unwrap_all() const override { return errs_; }

private:
    std::vector<Error> errs_;
};

}  // namespace

Error::Error(std::string message) : p_(std::make_shared<const TextError>(std::move(message))) {}

namespace errors {

namespace detail {

const ErrorBase* find(const Error& err, Match match, void* arg) {
    // A wrap chain is followed in a loop (it may be long); only a join's
    // branches recurse. `hold` keeps an unwrapped error alive while it is
    // looked at (unwrap() returns a copy of a member, so err's tree owns it).
    Error hold;
    for (const ErrorBase* e = err.get(); e != nullptr;) {
        if (match(*e, arg)) return e;
        if (Error next = e->unwrap()) {
            hold = std::move(next);
            e = hold.get();
            continue;
        }
        for (const Error& branch : e->unwrap_all())
            if (const ErrorBase* found = find(branch, match, arg)) return found;
        return nullptr;
    }
    return nullptr;
}

}  // namespace detail

bool is(const Error& err, const Error& target) {
    if (!err || !target) return err == target;
    // find's arg is void* (as<T> writes through it); this one only reads.
    void* target_arg = const_cast<Error*>(&target);
    return detail::find(
               err,
               [](const ErrorBase& e, void* arg) {
                   const Error& t = *static_cast<const Error*>(arg);
                   return &e == t.get() || e.is(t);
               },
               target_arg) != nullptr;
}

Error unwrap(const Error& err) {
    const ErrorBase* e = err.get();
    return e ? e->unwrap() : Error();
}

Error join(std::vector<Error> errs) {
    std::erase_if(errs, [](const Error& e) { return !e; });
    if (errs.empty()) return nullptr;
    return Error(std::shared_ptr<const ErrorBase>(std::make_shared<const JoinError>(std::move(errs))));
}

Error wrap(Error err, std::string message) {
    message += ": ";
    message += err.message();
    if (!err) return Error(std::move(message));
    return Error(std::shared_ptr<const ErrorBase>(std::make_shared<const WrapError>(std::move(message), std::move(err))));
}

}  // namespace errors
}  // namespace gocxx
