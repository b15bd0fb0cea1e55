//! Protocol v1 message types exchanged between app and portal.
