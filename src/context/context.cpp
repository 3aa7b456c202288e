// Contexts: Go's context.go.
//
// A Node is background/todo (never done), a cancel node (done channel, err,
// cause, children), a timer node (a cancel node with a deadline and a heap
// timer), a value node, or a without_cancel node (Go 1.21's
// withoutCancelCtx: the walks for the nearest cancel node and for a deadline
// stop at it, the walk for values goes through). Cancellation flows down through `children`: each cancel node
// registers with its nearest cancellable ancestor, which holds a strong
// reference to it until either is cancelled (Go's propagateCancel).
//
// Locks: cancel takes one node's mu at a time (it moves the children out
// under the node's mu, then cancels them from a work list, not recursively:
// chains of 100,000 contexts cancel and free on a goroutine's stack). mu
// guards err, cause and children. Go 1.20's causes: a node cancelled with a
// cause keeps it beside err (a nil cause is err itself), and passes its own
// cause down to everything cancelled with it, as Go's cancel(false, err,
// Cause(parent)).
// The heap timer holds a reference to its node while armed; whoever takes it
// out of the heap (the firing callback, or cancel's successful remove) drops it.
#include <gocxx/context/context.hpp>

#include <atomic>
#include <unordered_map>

#include <gocxx/detail/lock.hpp>
#include <gocxx/go.hpp>

#include "sched/scheduler.hpp"

namespace gocxx::context {

namespace detail {

struct Node {
    enum class Kind { Background, Todo, Cancel, Value, AfterFunc, WithoutCancel };
    Kind kind;
    std::shared_ptr<Node> parent;

    // Cancel nodes:
    gocxx::detail::Lock mu;
    Channel<Unit> done_ch = nullptr;
    Error err GOCXX_GUARDED_BY(mu);
    Error cause GOCXX_GUARDED_BY(mu);  // set with err
    std::unordered_map<Node*, std::shared_ptr<Node>> children GOCXX_GUARDED_BY(mu);
    Node* registered_with = nullptr;                         // the ancestor holding us, if any
    bool has_deadline = false;
    time::Time deadline{};
    Error deadline_cause;  // with_deadline_cause's: the cause when the deadline fires (nil: err)
    struct DeadlineTimer {
        gocxx::detail::TimerNode node;  // first member: the callback casts back
        Node* owner;
    } timer{{}, this};
    std::shared_ptr<Node> timer_ref;  // the heap's reference while the timer is armed

    // AfterFunc nodes: a child of a cancel node that runs after_fn when
    // "cancelled". after_state: 0 waiting, 1 started, 2 stopped; whoever
    // moves it from 0 owns after_fn.
    std::function<void()> after_fn;
    std::atomic<int> after_state{0};

    // Value nodes:
    const void* key = nullptr;
    std::shared_ptr<const void> value;

    // The next node in a cancel's work list (only the cancel that took this
    // node out of its ancestor's children reads or writes it).
    std::shared_ptr<Node> cancel_next;

    explicit Node(Kind k) : kind(k) {}
    ~Node();
};

namespace {
// Where a ~Node that runs inside the freeing loop of another leaves its
// parent (see ~Node). Read through a call the compiler cannot see into, so
// that a goroutine that moved to another thread inside a destructor reads its
// new thread's slot, not a cached address of the old one.
thread_local std::shared_ptr<Node>* t_parent_sink = nullptr;
__attribute__((noinline)) std::shared_ptr<Node>*& parent_sink() noexcept {
    asm volatile("" ::: "memory");
    return t_parent_sink;
}
}  // namespace

// Dropping the parent may free it, and then its parent, and so on: freed by
// recursion, a chain of 10,000 contexts overflows a goroutine's stack. The
// outermost ~Node frees the chain in a loop instead: before dropping each
// link it points the sink at the loop's variable, and the ~Node that this
// runs (the link's own, if it was the last reference) hands its parent back
// there rather than dropping it. Nothing runs between the two but the
// shared_ptr's release, so the sink is never seen by any other ~Node; the
// rest of a node (a value's destructor, say) is destroyed after the handover
// with the sink empty.
Node::~Node() {
    std::shared_ptr<Node>*& sink = parent_sink();
    if (sink) {
        std::shared_ptr<Node>* out = sink;
        sink = nullptr;
        *out = std::move(parent);
        return;
    }
    std::shared_ptr<Node> next = std::move(parent);
    while (next) {
        std::shared_ptr<Node> p = std::move(next);
        parent_sink() = &next;
        p.reset();
        parent_sink() = nullptr;  // p was not the last reference: nothing ran
    }
}

std::shared_ptr<const void> find_value(const Node* n, const void* key) noexcept {
    for (; n; n = n->parent.get())
        if (n->kind == Node::Kind::Value && n->key == key) return n->value;
    return nullptr;
}

namespace {

// The nearest ancestor (or n itself) that can be cancelled; none past a
// without_cancel node.
Node* cancel_node(Node* n) noexcept {
    for (; n; n = n->parent.get()) {
        if (n->kind == Node::Kind::Cancel) return n;
        if (n->kind == Node::Kind::WithoutCancel) return nullptr;
    }
    return nullptr;
}

// Starts an AfterFunc node's function, if nobody started or stopped it.
void start_after_func(Node* n) noexcept {
    int waiting = 0;
    if (!n->after_state.compare_exchange_strong(waiting, 1, std::memory_order_acq_rel)) return;
    try {
        go(std::move(n->after_fn));
    } catch (...) {
        // No goroutine to be had (out of memory): run it here instead, as
        // losing it would leave its caller waiting forever.
        n->after_fn();
    }
}

// Marks one cancel node done and moves its children onto the work list.
// Returns false if it was done already (its children went with that cancel).
// Sets *parent to the ancestor it was registered with.
bool cancel_one(Node* n, const Error& err, const Error& cause, std::shared_ptr<Node>& work, Node** parent) noexcept {
    n->mu.lock();
    if (n->err) {
        n->mu.unlock();
        return false;
    }
    n->err = err;
    n->cause = cause;
    n->done_ch.close();
    auto children = std::move(n->children);
    n->children.clear();
    *parent = n->registered_with;
    n->registered_with = nullptr;
    n->mu.unlock();
    for (auto& [child, ref] : children) {
        ref->cancel_next = std::move(work);
        work = std::move(ref);
    }
    // Release the deadline timer now rather than when it would have fired.
    if (n->has_deadline && gocxx::detail::Scheduler::get().remove_timer(&n->timer.node)) n->timer_ref.reset();
    return true;
}

// Cancels n and everything registered below it, with a work list rather than
// recursion (a chain of 10,000 contexts would overflow a goroutine's stack).
// Each node leaves its ancestor's children under the ancestor's lock, once,
// so each is on one list at most. The caller holds a reference to n. A nil
// cause is err (Go's cancel: `if cause == nil { cause = err }`); the
// descendants get n's err and cause.
void cancel(Node* n, const Error& err, bool remove_from_parent, const Error& cause_in = {}) noexcept {
    if (n->kind == Node::Kind::AfterFunc) {
        start_after_func(n);
        return;
    }
    const Error& cause = cause_in ? cause_in : err;
    std::shared_ptr<Node> work;
    Node* parent = nullptr;
    if (!cancel_one(n, err, cause, work, &parent)) return;
    while (work) {
        std::shared_ptr<Node> c = std::move(work);
        work = std::move(c->cancel_next);
        Node* ignored;
        if (c->kind == Node::Kind::AfterFunc)
            start_after_func(c.get());
        else
            cancel_one(c.get(), err, cause, work, &ignored);
    }
    if (remove_from_parent && parent) {
        parent->mu.lock();
        parent->children.erase(n);
        parent->mu.unlock();
    }
}

void fire_deadline(gocxx::detail::TimerNode* t) noexcept {
    Node* n = reinterpret_cast<Node::DeadlineTimer*>(t)->owner;
    std::shared_ptr<Node> keep = std::move(n->timer_ref);  // the heap's reference is ours now
    cancel(n, DeadlineExceeded, true, n->deadline_cause);
}

// The node is complete (deadline included) before it is registered with its
// ancestor: from then on the ancestor's cancel may read it.
std::shared_ptr<Node> new_cancel_node(const Context& parent, const time::Time* deadline = nullptr,
                                      const Error& deadline_cause = {}) {
    auto n = std::make_shared<Node>(Node::Kind::Cancel);
    n->parent = parent.node_();
    n->done_ch = Channel<Unit>();
    if (deadline) {
        n->has_deadline = true;
        n->deadline = *deadline;
        n->deadline_cause = deadline_cause;
        n->timer.node.fn = &fire_deadline;
    }
    if (Node* anc = cancel_node(parent.node_().get())) {
        anc->mu.lock();
        if (anc->err) {
            Error e = anc->err, c = anc->cause;
            anc->mu.unlock();
            cancel(n.get(), e, false, c);
        } else {
            anc->children.emplace(n.get(), n);
            n->registered_with = anc;
            anc->mu.unlock();
        }
    }
    return n;
}

CancelFunc cancel_func(const std::shared_ptr<Node>& n) {
    return [n] { cancel(n.get(), Canceled, true); };
}

// Go's WithDeadlineCause: the parent's sooner deadline makes it a plain
// WithCancel; a deadline already past cancels at once with the cause.
std::pair<Context, CancelFunc> deadline_node(const Context& parent, time::Time d, const Error& cause) {
    if (auto [cur, ok] = parent.deadline(); ok && cur < d) return with_cancel(parent);  // parent's is sooner
    auto n = new_cancel_node(parent, &d, cause);
    if (d <= time::now()) {
        cancel(n.get(), DeadlineExceeded, true, cause);
        return {Context(n), cancel_func(n)};
    }
    {
        gocxx::detail::LockGuard<gocxx::detail::Lock> guard(n->mu);
        if (!n->err) {  // the parent may have cancelled us already
            n->timer.node.when = d;
            n->timer_ref = n;
            gocxx::detail::Scheduler::get().add_timer(&n->timer.node);
        }
    }
    return {Context(n), cancel_func(n)};
}

}  // namespace

Context with_value_erased(const Context& parent, const void* key, std::shared_ptr<const void> value) {
    auto n = std::make_shared<Node>(Node::Kind::Value);
    n->parent = parent.node_();
    n->key = key;
    n->value = std::move(value);
    return Context(std::move(n));
}

}  // namespace detail

using detail::Node;

namespace {
const std::shared_ptr<Node>& background_node() {
    static const auto* n = new std::shared_ptr<Node>(std::make_shared<Node>(Node::Kind::Background));
    return *n;
}
const std::shared_ptr<Node>& todo_node() {
    static const auto* n = new std::shared_ptr<Node>(std::make_shared<Node>(Node::Kind::Todo));
    return *n;
}
}  // namespace

Context::Context() : n_(background_node()) {}

Context background() { return Context(background_node()); }
Context todo() { return Context(todo_node()); }

RecvChannel<Unit> Context::done() const {
    Node* c = detail::cancel_node(n_.get());
    return c ? RecvChannel<Unit>(c->done_ch) : RecvChannel<Unit>(nullptr);
}

Error Context::err() const {
    Node* c = detail::cancel_node(n_.get());
    if (!c) return {};
    c->mu.lock();
    Error e = c->err;
    c->mu.unlock();
    return e;
}

std::pair<time::Time, bool> Context::deadline() const {
    for (Node* n = n_.get(); n; n = n->parent.get()) {
        if (n->kind == Node::Kind::Cancel && n->has_deadline) return {n->deadline, true};
        if (n->kind == Node::Kind::WithoutCancel) break;
    }
    return {time::Time{}, false};
}

std::pair<Context, CancelFunc> with_cancel(const Context& parent) {
    auto n = detail::new_cancel_node(parent);
    return {Context(n), detail::cancel_func(n)};
}

std::pair<Context, CancelFunc> with_deadline(const Context& parent, time::Time d) {
    return detail::deadline_node(parent, d, {});
}

std::pair<Context, CancelFunc> with_deadline_cause(const Context& parent, time::Time d, Error cause) {
    return detail::deadline_node(parent, d, cause);
}

std::pair<Context, CancelCauseFunc> with_cancel_cause(const Context& parent) {
    auto n = detail::new_cancel_node(parent);
    return {Context(n), [n](const Error& cause) { detail::cancel(n.get(), Canceled, true, cause); }};
}

Error cause(const Context& ctx) {
    Node* c = detail::cancel_node(ctx.node_().get());
    if (!c) return {};
    gocxx::detail::LockGuard<gocxx::detail::Lock> guard(c->mu);
    return c->cause;
}

Context without_cancel(const Context& parent) {
    auto n = std::make_shared<Node>(Node::Kind::WithoutCancel);
    n->parent = parent.node_();
    return Context(std::move(n));
}

std::function<bool()> after_func(const Context& ctx, std::function<void()> f) {
    auto n = std::make_shared<Node>(Node::Kind::AfterFunc);
    n->after_fn = std::move(f);
    Node* anc = detail::cancel_node(ctx.node_().get());
    if (anc) {
        anc->mu.lock();
        if (anc->err) {
            anc->mu.unlock();
            detail::start_after_func(n.get());
        } else {
            anc->children.emplace(n.get(), n);
            n->registered_with = anc;
            anc->mu.unlock();
        }
    }
    // The stop function keeps the ancestor alive, so that it can still
    // unregister from it (registered_with is a plain pointer).
    std::shared_ptr<Node> keep_anc = anc ? ctx.node_() : nullptr;
    return [n, keep_anc] {
        int waiting = 0;
        if (!n->after_state.compare_exchange_strong(waiting, 2, std::memory_order_acq_rel)) return false;
        n->after_fn = nullptr;
        if (Node* a = n->registered_with) {
            a->mu.lock();
            a->children.erase(n.get());
            a->mu.unlock();
        }
        return true;
    };
}

std::pair<Context, CancelFunc> with_timeout(const Context& parent, time::Duration d) {
    return with_deadline(parent, time::add(time::now(), d));
}

std::pair<Context, CancelFunc> with_timeout_cause(const Context& parent, time::Duration d, Error cause) {
    return with_deadline_cause(parent, time::add(time::now(), d), std::move(cause));
}

}  // namespace gocxx::context
