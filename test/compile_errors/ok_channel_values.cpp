// expect: compiles
// case_send takes what ch.send takes (implicit conversions); a T without a
// default constructor is received with for-range or try_recv.
#include <memory>
#include <optional>
#include <string>

#include <gocxx/select.hpp>

struct Base {};
struct Derived : Base {};
struct Point {
    explicit Point(int x) : x(x) {}
    int x;
};

void offer(gocxx::Channel<long> l, gocxx::Channel<std::string> s, gocxx::Channel<Base*> b,
           gocxx::Channel<std::unique_ptr<int>> u, gocxx::Channel<double> d, gocxx::SendChannel<long> sl,
           gocxx::Channel<gocxx::Channel<int>> cc) {
    Derived der;
    short sh = 1;
    l.send(sh);
    gocxx::select(gocxx::case_send(l, 1), gocxx::case_send(l, sh), gocxx::case_send(s, "text"),
                  gocxx::case_send(b, &der), gocxx::case_send(b, nullptr),
                  gocxx::case_send(u, std::make_unique<int>(1)), gocxx::case_send(d, 1.5f),
                  gocxx::case_send(sl, 2), gocxx::case_send(cc, nullptr), gocxx::case_default());
}

int receive(gocxx::Channel<Point> ch, gocxx::Channel<std::optional<Point>> opt) {
    int sum = 0;
    for (Point p : ch) sum += p.x;
    if (auto p = ch.try_recv()) sum += p->x;
    if (auto p = opt.recv()) sum += p->x;
    return sum;
}
