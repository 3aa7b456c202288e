#include <gocxx/errgroup/group.hpp>

#include <string>

#include <gocxx/panic.hpp>

namespace gocxx::errgroup {

void Group::set_limit(int n) const {
    if (s_->sem != nullptr && s_->sem.len() != 0)
        throw Panic("errgroup: modify limit while " + std::to_string(s_->sem.len()) +
                    " goroutines in the group are still active");
    s_->sem = n < 0 ? Channel<Unit>(nullptr) : Channel<Unit>(n);
}

Error Group::wait() const {
    s_->wg.wait();
    if (s_->cancel) s_->cancel();
    if (s_->ex) std::rethrow_exception(s_->ex);
    return s_->err;
}

std::pair<Group, context::Context> with_context(const context::Context& parent) {
    auto [ctx, cancel] = context::with_cancel(parent);
    Group g;
    g.s_->cancel = std::move(cancel);
    return {g, ctx};
}

}  // namespace gocxx::errgroup
