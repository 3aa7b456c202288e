// What the library exports. It is built with hidden visibility
// (meson.build: gnu_symbol_visibility), and every public header puts its
// declarations between GOCXX_API_BEGIN and GOCXX_API_END: the API is what
// include/gocxx/ declares, including the detail:: functions that its inline
// templates call, and nothing that only src/ declares (the scheduler's
// internals, Boost.Beast's and OpenSSL's template instances) is exported.
#pragma once

#if defined(__GNUC__) || defined(__clang__)
#define GOCXX_API_BEGIN _Pragma("GCC visibility push(default)")
#define GOCXX_API_END _Pragma("GCC visibility pop")
#else
#define GOCXX_API_BEGIN
#define GOCXX_API_END
#endif
