#!/usr/bin/perl
# OPAC search gateway (2010, rewritten)
use strict;
print "Content-Type: text/html; charset=utf-8\n\n";
