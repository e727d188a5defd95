module partnerportal/bench/openloop

go 1.22
