// expect: select: at most one case_default
#include <gocxx/select.hpp>

void poll(gocxx::Channel<int> ch) {
    gocxx::select(gocxx::case_recv(ch), gocxx::case_default(), gocxx::case_default());
}
