#include <stdio.h>
#include <string.h>
#include <time.h>
#include <stdlib.h>
#include "xsearch.h"
#include "search_slots.h"
static double now(void){struct timespec t;clock_gettime(CLOCK_MONOTONIC,&t);return t.tv_sec*1e3+t.tv_nsec/1e6;}
int main(int argc,char**argv){
 char err[256]; struct xs_db*db=xs_open(argv[1],err,sizeof err); if(!db){puts(err);return 1;}
 unsigned slots[]={3,8,9,11,13,14,15,16,17,18,19,20};
 static double alo[5]={99,99.5,99.9,99.95,99.99}, ahi[5]={1e300,1e300,1e300,1e300,1e300};
 struct xs_fgroup g[12]; memset(g,0,sizeof g);
 const char*pre[]={"XT","XC","XR","XG","XL","XD","XZ","XF",NULL,NULL,"XO","XM"};
 for(int i=0;i<12;i++){g[i].slot=slots[i];g[i].prefix=pre[i]; if(i==8||i==9){g[i].numeric=1;g[i].blo=alo;g[i].bhi=ahi;g[i].nbuckets=5;}}
 const char*sel[]={"saas"}; 
 for(int mode=0;mode<4;mode++){
  struct xs_query q; xs_query_init(&q); q.limit=20; q.text=argc>2?argv[2]:"";
  if(mode>=1){q.fgroups=g;q.nfgroups=12;q.fcount=1; q.fpack=getenv("PACK")!=0; q.fpack_slot=21;}
  if(mode==2){g[0].sel=sel;g[0].nsel=1;} else {g[0].nsel=0;}
  if(mode==3){unsigned fs[]={3};q.facet_slots=fs;q.nfacets=1;q.fgroups=NULL;q.nfgroups=0;}
  int N=50; double t0=now(); unsigned tot=0;
  for(int k=0;k<N;k++){struct xs_result*r; if(xs_search(db,&q,&r,err,sizeof err)){puts(err);return 1;} tot=r->total; xs_result_free(r);}
  printf("mode %d: %.2f ms/search total %u\n",mode,(now()-t0)/N,tot);
 }
 return 0;}
