/* Counts read from the database for GET /metrics (metrics.h). */
#ifndef MADOGUCHID_STORE_GAUGES_H
#define MADOGUCHID_STORE_GAUGES_H

#include "store.h"

struct store_gauges {
	long long mail_queued;		/* not delivered, not given up */
	long long mail_oldest_age;	/* seconds; 0 when none waits */
	long long sessions_live;	/* not yet expired at now */
};

/* Read them as of now (the service clock). */
enum store_rc store_gauges(struct store *, long long now,
    struct store_gauges *);

#endif
