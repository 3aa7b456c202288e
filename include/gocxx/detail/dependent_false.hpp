// dependent_false<T>: false, but only once T is known, so that a
// static_assert in a template that is never instantiated does not fire. It
// gives a porter's common mistakes a first error line that says what is wrong.
#pragma once

namespace gocxx::detail {
template <class...>
inline constexpr bool dependent_false = false;
}  // namespace gocxx::detail
