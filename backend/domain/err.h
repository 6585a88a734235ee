/* SPDX-License-Identifier: MIT */
/* Error codes shared by every module: 0 is success, failures are negative. */
#ifndef SG_DOMAIN_ERR_H
#define SG_DOMAIN_ERR_H

enum sg_err {
    SG_OK = 0,
    SG_EINVAL = -1,    /* input failed validation */
    SG_ENOENT = -2,    /* no such thing (village, code, division) */
    SG_EEXIST = -3,    /* unique key already taken */
    SG_EUNAVAIL = -4,  /* a dependency (Redis) is not reachable */
    SG_ETIMEDOUT = -5, /* a dependency did not answer in time */
    SG_EIO = -6,       /* file or protocol error */
    SG_ENOMEM = -7,
    SG_ECANCELED = -8, /* the request went away before the answer came */
    SG_ECONFLICT = -9, /* the record is not in a state that allows this (e.g. already cancelled) */
    SG_ELIMITED = -10, /* an attempt limit is reached: try again later */
    SG_EREFUSED = -11, /* a dependency refused for now and did nothing (Redis out of memory, loading, ...) */
    SG_ERANGE = -12,   /* something would fall outside what it must stay in (a passenger outside a pickup area) */
    SG_ELOCKED = -13,  /* the trip happened: a record checked in or departed stays as it travelled */
};

#endif
