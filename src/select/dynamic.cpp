// Select: Go's reflect.Select over the same core as select() (select.cpp).
//
// The builder only lays its cases out as the SelectCase array select_cases
// takes, so the choice (uniform among the ready cases), nil and closed
// channels, the wait and the panics are select()'s own. What it adds is
// ownership: each case holds a handle on its channel, a scratch slot (the
// receive's raw storage, or the copy a send hands over this run), and a send
// case its value, which it keeps for the next run as Go's SelectCase.Send.
#include <cxxabi.h>

#include <cstdlib>
#include <new>
#include <stdexcept>
#include <string>

#include <gocxx/panic.hpp>
#include <gocxx/select.hpp>

namespace gocxx {

namespace {

std::string type_name(const std::type_info& t) {
    int status = 0;
    char* d = abi::__cxa_demangle(t.name(), nullptr, nullptr, &status);
    std::string s = status == 0 && d ? d : t.name();
    std::free(d);
    return s;
}

void* new_scratch(const detail::SelectElemOps* ops) {
    return ::operator new(ops->size ? ops->size : 1, std::align_val_t(ops->align));
}

}  // namespace

void SelectValue::check(const std::type_info& t) const {
    if (!p_) throw Panic("reflect: call of reflect.Value.Interface on zero Value");
    if (*ops_->type != t)
        throw Panic("interface conversion: interface {} is " + type_name(*ops_->type) + ", not " + type_name(t));
}

Select::Select(Select&& o) noexcept
    : cases_(std::move(o.cases_)), default_index_(std::exchange(o.default_index_, -1)) {
    o.cases_.clear();
}

Select& Select::operator=(Select&& o) noexcept {
    if (this != &o) {
        clear();
        cases_ = std::move(o.cases_);
        o.cases_.clear();
        default_index_ = std::exchange(o.default_index_, -1);
    }
    return *this;
}

Select::~Select() { clear(); }

void Select::free_case(Case& c) noexcept {
    if (c.c) detail::chan_release(c.c);
    if (c.value) c.ops->del(c.value);
    if (c.scratch) ::operator delete(c.scratch, std::align_val_t(c.ops->align));
    c = Case{};
}

void Select::clear() noexcept {
    for (Case& c : cases_) free_case(c);
    cases_.clear();
    default_index_ = -1;
}

int Select::add(Case c) {
    try {
        cases_.push_back(c);
    } catch (...) {
        free_case(c);
        throw;
    }
    return size() - 1;
}

int Select::add_recv(detail::ChanCore* ch, const detail::SelectElemOps* ops) {
    Case c{};
    c.kind = Kind::Recv;
    c.ops = ops;
    c.scratch = new_scratch(ops);
    c.c = ch;
    if (ch) detail::chan_retain(ch);
    return add(c);
}

int Select::add_send(detail::ChanCore* ch, const detail::SelectElemOps* ops, void* value) {
    Case c{};
    c.kind = Kind::Send;
    c.ops = ops;
    c.value = value;
    try {
        c.scratch = new_scratch(ops);
    } catch (...) {
        ops->del(value);
        throw;
    }
    c.c = ch;
    if (ch) detail::chan_retain(ch);
    return add(c);
}

int Select::default_() {
    if (default_index_ >= 0) throw Panic("reflect.Select: multiple default cases");
    Case c{};
    c.kind = Kind::Default;
    default_index_ = add(c);
    return default_index_;
}

void Select::disable(int i) {
    if (i < 0 || i >= size()) throw std::out_of_range("gocxx::Select::disable: no such case");
    Case& c = cases_[static_cast<std::size_t>(i)];
    if (c.c) detail::chan_release(c.c);
    c.c = nullptr;
}

void Select::remove(int i) {
    if (i < 0 || i >= size()) throw std::out_of_range("gocxx::Select::remove: no such case");
    free_case(cases_[static_cast<std::size_t>(i)]);
    cases_.erase(cases_.begin() + i);
    if (default_index_ == i) default_index_ = -1;
    else if (default_index_ > i) --default_index_;
}

Select::Result Select::run() {
    const int n = size();
    sc_.clear();
    arg_.clear();
    sc_.reserve(static_cast<std::size_t>(n));
    arg_.reserve(static_cast<std::size_t>(n));

    // This run's copies of the send values; whatever happens they are
    // destroyed at the end (the one sent is moved-from by then).
    struct Copies {
        std::vector<Case>& cases;
        std::vector<bool>& made;
        ~Copies() {
            for (std::size_t i = 0; i < made.size(); ++i)
                if (made[i]) cases[i].ops->destroy(cases[i].scratch);
            made.clear();
        }
    };
    copied_.assign(static_cast<std::size_t>(n), false);
    Copies copies{cases_, copied_};

    for (int i = 0; i < n; ++i) {
        Case& c = cases_[static_cast<std::size_t>(i)];
        if (c.kind == Kind::Default) continue;
        detail::SelectCase s{c.c, c.scratch, c.kind == Kind::Send};
        if (c.kind == Kind::Send) {
            if (c.spent) {
                s.c = nullptr;  // its move-only value is gone: never ready
            } else if (c.ops->copy_into) {
                if (c.c) {  // a nil channel's case never sends: no copy
                    c.ops->copy_into(c.scratch, c.value);
                    copied_[static_cast<std::size_t>(i)] = true;
                }
            } else {
                s.elem = c.value;
            }
        }
        sc_.push_back(s);
        arg_.push_back(i);
    }

    const detail::SelectResult r =
        detail::select_cases(sc_.data(), static_cast<int>(sc_.size()), default_index_ >= 0);
    Result res{r.index < 0 ? default_index_ : arg_[static_cast<std::size_t>(r.index)], SelectValue(), false};
    if (r.index < 0) return res;
    Case& c = cases_[static_cast<std::size_t>(res.index)];
    if (c.kind == Kind::Recv) {
        res.ok = r.received;
        if (r.received) res.value = SelectValue(c.ops->take(c.scratch), c.ops);
        else if (c.ops->make_zero) res.value = SelectValue(c.ops->make_zero(), c.ops);
    } else if (!c.ops->copy_into) {
        c.spent = true;
    }
    return res;
}

}  // namespace gocxx
