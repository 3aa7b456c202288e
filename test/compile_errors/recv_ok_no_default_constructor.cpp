// expect: gocxx::Channel<T>::recv_ok() needs std::default_initializable<T>
#include <gocxx/chan.hpp>

struct Point {
    explicit Point(int x) : x(x) {}
    int x;
};

int first(gocxx::Channel<Point> ch) { return ch.recv_ok().first.x; }
