// Which sanitizer this translation unit is built with: GOCXX_ASAN and
// GOCXX_TSAN, for g++ (__SANITIZE_*__) and clang (__has_feature). The base
// of the layers: the futex, the lock and the context switch all ask.
#pragma once

#if defined(__SANITIZE_ADDRESS__)
#define GOCXX_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define GOCXX_ASAN 1
#endif
#endif
#if defined(__SANITIZE_THREAD__)
#define GOCXX_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define GOCXX_TSAN 1
#endif
#endif
