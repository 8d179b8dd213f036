#!/usr/bin/perl
# OPAC search gateway (2009)
print "Content-Type: text/html\n\n";
