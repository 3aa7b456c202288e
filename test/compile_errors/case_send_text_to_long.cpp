// expect: gocxx::case_send: the value does not convert implicitly to the channel's element type
#include <gocxx/select.hpp>

void offer(gocxx::Channel<long> ch) {
    gocxx::select(gocxx::case_send(ch, "text"), gocxx::case_default());
}
