function opacSearch(q){location.href='/cgi-bin/search.cgi?q='+encodeURIComponent(q);}
